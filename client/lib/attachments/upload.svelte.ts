// One attached file: read in 1 MiB slices, encrypted chunk by chunk in the crypto worker, each
// frame uploaded as soon as it exists. Never more than a couple of chunks in memory. Network
// failures are retried with growing waits, then the upload pauses until the person resumes it;
// every step is idempotent on the server (same bytes → 200), so resending is always safe.
// Before the first byte is encrypted, pictures are cleaned of hidden information and other
// formats that carry it get a note (metadata/prepare.ts); what is sent is the cleaned file.
import { api } from '../api/discloser-api.ts';
import { ApiFailure, isAbort, sleep } from '../api/http.ts';
import { loadCrypto } from '../crypto-loader.ts';
import { type FileNote, prepareFile } from '../metadata/prepare.ts';
import { describeProblem, isRetryable, type Problem } from '../errors.ts';
import { randomIdBytes, uuidFromBytes } from '../ids.ts';
import type { AttachmentManifestInput } from '../worker/protocol.ts';
import { runCrypto } from '../worker/crypto-runner.ts';

export const CHUNK_SIZE = 1 << 20;
const RETRY_WAITS_SECONDS = [1, 2, 4, 8, 16];

export type UploadStatus = 'queued' | 'uploading' | 'retrying' | 'paused' | 'done' | 'cancelled' | 'failed';

export class Upload {
  readonly key: string = uuidFromBytes(randomIdBytes());
  id: string = uuidFromBytes(randomIdBytes());
  status: UploadStatus = $state('queued');
  sentChunks = $state(0);
  totalChunks = $state(1);
  retryInSeconds = $state(0);
  problem: Problem | undefined = $state(undefined);
  manifest: AttachmentManifestInput | undefined = undefined;
  /** The file that is encrypted: the cleaned copy once `prepare` has run, the original before. */
  file: File;
  /** What cleaning did, or what to know about this kind of file; undefined until prepared. */
  note: FileNote | undefined = $state.raw(undefined);
  private prepared = false;

  private controller = new AbortController();
  private resumeWaiter: (() => void) | undefined;

  constructor(readonly original: File) {
    this.file = $state.raw(original);
  }

  get name(): string {
    return this.original.name;
  }

  get settled(): boolean {
    return this.status === 'done';
  }

  get busy(): boolean {
    return this.status === 'queued' || this.status === 'uploading' || this.status === 'retrying' || this.status === 'paused';
  }

  /** Starts (or, after a failure, restarts under a fresh id) the upload. */
  async start(): Promise<void> {
    if (this.status === 'failed' || this.status === 'cancelled') {
      this.id = uuidFromBytes(randomIdBytes());
      this.controller = new AbortController();
    }
    this.status = 'uploading';
    this.problem = undefined;
    this.sentChunks = 0;
    const uploadId = this.id;
    try {
      if (!this.prepared) {
        const prepared = await prepareFile(this.original);
        this.file = prepared.file;
        this.note = prepared.note;
        this.prepared = true;
      }
      const { c } = await loadCrypto();
      this.totalChunks = Math.max(1, Math.ceil(c.paddedLength(this.file.size) / CHUNK_SIZE));
      const { header } = await runCrypto({ op: 'streamStart', uploadId, chunkSize: CHUNK_SIZE });
      await this.withRetry(() => api.createAttachment(uploadId, c.toBase64Url(header), this.controller.signal));
      let index = 0;
      const send = async (frame: Uint8Array) => {
        const at = index++;
        await this.withRetry(() => api.putChunk(uploadId, at, frame, this.controller.signal));
        this.sentChunks = at + 1;
      };
      for (let offset = 0; offset < this.file.size; offset += CHUNK_SIZE) {
        this.checkCancelled();
        const data = new Uint8Array(await this.file.slice(offset, offset + CHUNK_SIZE).arrayBuffer());
        const { frames } = await runCrypto({ op: 'streamPush', uploadId, data }, [data.buffer]);
        for (const frame of frames) await send(frame);
      }
      for (;;) {
        this.checkCancelled();
        const next = await runCrypto({ op: 'streamNext', uploadId });
        if (next.done) {
          this.manifest = {
            id: c.toBase64Url(c.fromHex(uploadId.replaceAll('-', ''))),
            name: this.file.name,
            type: this.file.type || 'application/octet-stream',
            size: next.size,
            fileKey: next.fileKey,
            plaintextHash: next.plaintextHash,
          };
          break;
        }
        await send(next.frame);
      }
      await this.withRetry(() => api.completeAttachment(uploadId, index, this.controller.signal));
      this.status = 'done';
    } catch (error) {
      void runCrypto({ op: 'streamDrop', uploadId }).catch(() => undefined);
      if (isAbort(error) || this.controller.signal.aborted) {
        this.status = 'cancelled';
        return;
      }
      this.problem = describeProblem(error);
      this.status = 'failed';
    }
  }

  cancel(): void {
    this.status = 'cancelled';
    this.controller.abort();
    this.resumeWaiter?.();
  }

  resume(): void {
    this.resumeWaiter?.();
  }

  private checkCancelled(): void {
    if (this.controller.signal.aborted) throw new DOMException('aborted', 'AbortError');
  }

  /** Runs one request until it succeeds: retries with growing waits, then pauses for the person. */
  private async withRetry<T>(send: () => Promise<T>): Promise<T> {
    for (;;) {
      for (let attempt = 0; ; attempt++) {
        this.checkCancelled();
        try {
          const result = await send();
          this.status = 'uploading';
          return result;
        } catch (error) {
          if (!(error instanceof ApiFailure)) throw error;
          const problem = describeProblem(error);
          if (!isRetryable(problem)) throw error;
          this.problem = problem;
          const wait = RETRY_WAITS_SECONDS[attempt];
          if (wait === undefined) break;
          this.status = 'retrying';
          for (let left = Math.max(wait, error.retryAfterSeconds ?? 0); left > 0; left--) {
            this.retryInSeconds = left;
            await sleep(1000, this.controller.signal);
          }
        }
      }
      this.status = 'paused';
      await new Promise<void>((resolve) => {
        this.resumeWaiter = resolve;
      });
      this.resumeWaiter = undefined;
      this.status = 'uploading';
    }
  }
}
