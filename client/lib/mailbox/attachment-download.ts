// Downloading a file from the mailbox: the encrypted stream is read from the network piece by
// piece, cut into frames (frame-splitter.ts), and each frame decrypted in the crypto worker as it
// arrives. Decrypted pieces go straight into Blobs, which the browser may keep on disk, so no
// full copy of a large file is built in this page's memory. The whole file is checked against the
// hash in its sender's signed manifest before it is offered for saving.
import type { LoadedCrypto } from '../crypto-loader.ts';
import { randomIdBytes, uuidFromBytes } from '../ids.ts';
import { runCrypto } from '../worker/crypto-runner.ts';
import { FrameSplitter, type StreamPart } from './frame-splitter.ts';
import type { FileEntry } from './view.ts';

export interface DownloadHooks {
  /** Bytes of file data decrypted so far (the manifest's size is the total). */
  readonly onProgress?: (decrypted: number) => void;
  readonly signal?: AbortSignal;
}

/** Decrypts an attachment stream; resolves with the file, checked against its manifest. */
export async function decryptDownload(loaded: LoadedCrypto, stream: ReadableStream<Uint8Array>, entry: FileEntry, hooks: DownloadHooks = {}): Promise<Blob> {
  const { c } = loaded;
  const downloadId = uuidFromBytes(randomIdBytes());
  const splitter = new FrameSplitter();
  const pieces: Blob[] = [];
  let decrypted = 0;
  const handle = async (part: StreamPart) => {
    if (part.kind === 'header') {
      await runCrypto({ op: 'decryptStart', downloadId, fileKey: c.fromBase64Url(entry.fileKey), header: part.bytes });
      return;
    }
    const { pieces: plain } = await runCrypto({ op: 'decryptPush', downloadId, frame: part.bytes }, [part.bytes.buffer as ArrayBuffer]);
    for (const piece of plain) {
      decrypted += piece.length;
      pieces.push(new Blob([piece as Uint8Array<ArrayBuffer>]));
    }
    hooks.onProgress?.(decrypted);
  };
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (hooks.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const { done, value } = await reader.read();
      if (done) break;
      for (const part of splitter.push(value)) await handle(part);
    }
    if (hooks.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    for (const part of splitter.end()) await handle(part);
    await runCrypto({ op: 'decryptFinish', downloadId, plaintextHash: c.fromBase64Url(entry.plaintextHash) });
    return new Blob(pieces, { type: 'application/octet-stream' });
  } catch (error) {
    void runCrypto({ op: 'decryptDrop', downloadId }).catch(() => undefined);
    throw error;
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}
