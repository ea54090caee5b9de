// The heavy crypto of the report flow, written once and run either inside the crypto worker (off
// the main thread, the normal case) or on the page when workers are unavailable: sealing the
// report, proof of work, encrypting files chunk by chunk with StreamEncryptor, and decrypting the
// files an officer sent chunk by chunk with StreamDecryptor (checking the whole-file hash at the end).
import type { Base64Url, fileHasher, StreamDecryptor, StreamEncryptor } from '../../../crypto/index.ts';
import type { LoadedCrypto } from '../crypto-loader.ts';
import type { StripResult } from '../metadata/report.ts';
import type { SealRequest, SealResult, StreamNext, WorkerRequest, WorkerResults } from './protocol.ts';

interface StreamSession {
  readonly encryptor: StreamEncryptor;
  finishing: Generator<Uint8Array> | undefined;
}

interface DecryptSession {
  readonly decryptor: StreamDecryptor;
  readonly hasher: ReturnType<typeof fileHasher>;
  readonly key: Uint8Array;
}

/** A downloaded file whose bytes are not the ones its sender's manifest names. */
export class FileHashMismatchError extends Error {
  readonly code = 'file_hash_mismatch';
  constructor() {
    super('the file does not match the fingerprint its sender recorded');
    this.name = 'FileHashMismatchError';
  }
}

export class CryptoOps {
  private readonly streams = new Map<string, StreamSession>();
  private readonly downloads = new Map<string, DecryptSession>();

  /** `strip` is metadata/strip.ts's stripMetadata, loaded by whoever builds this (a separate chunk). */
  constructor(
    private readonly loaded: LoadedCrypto,
    private readonly strip: (bytes: Uint8Array) => StripResult | undefined = () => undefined,
  ) {}

  run<K extends WorkerRequest['op']>(request: Extract<WorkerRequest, { op: K }>, onProgress?: (attempts: number) => void): WorkerResults[K] {
    return this.dispatch(request, onProgress) as WorkerResults[K];
  }

  private dispatch(r: WorkerRequest, onProgress?: (attempts: number) => void): WorkerResults[WorkerRequest['op']] {
    switch (r.op) {
      case 'backend':
        return this.loaded.p.name;
      case 'seal':
        return this.seal(r.input);
      case 'pow':
        return this.loaded.c.solveProofOfWork(this.loaded.p, r.challenge, r.difficulty, onProgress ? { onProgress } : {});
      case 'streamStart':
        return this.streamStart(r.uploadId, r.chunkSize);
      case 'streamPush':
        return { frames: this.session(r.uploadId).encryptor.push(r.data) };
      case 'streamNext':
        return this.streamNext(r.uploadId);
      case 'streamDrop':
        this.drop(r.uploadId);
        return null;
      case 'decryptStart':
        this.decryptStart(r.downloadId, r.fileKey, r.header);
        return null;
      case 'decryptPush':
        return { pieces: this.decryptPush(r.downloadId, r.frame) };
      case 'decryptFinish':
        return this.decryptFinish(r.downloadId, r.plaintextHash);
      case 'decryptDrop':
        this.dropDownload(r.downloadId);
        return null;
      case 'strip':
        return this.strip(r.bytes);
    }
  }

  private decryptStart(downloadId: string, fileKey: Uint8Array, header: Uint8Array): void {
    const { c, p } = this.loaded;
    this.dropDownload(downloadId);
    const key = c.asSymmetricKey(fileKey);
    this.downloads.set(downloadId, { decryptor: new c.StreamDecryptor(p, key, header), hasher: c.fileHasher(p), key });
  }

  /** One frame in, its file data out as one fresh buffer (so it can be transferred, not copied). */
  private decryptPush(downloadId: string, frame: Uint8Array): Uint8Array[] {
    const session = this.download(downloadId);
    const parts = [...session.decryptor.push(frame)];
    if (parts.length === 0) return [];
    const out = this.loaded.c.concatBytes(...parts);
    session.hasher.update(out);
    return [out];
  }

  private decryptFinish(downloadId: string, expectedHash: Uint8Array): { size: number } {
    const { c } = this.loaded;
    const session = this.download(downloadId);
    try {
      session.decryptor.finish();
      if (!c.constantTimeEqual(session.hasher.digest(), expectedHash)) throw new FileHashMismatchError();
      return { size: session.decryptor.plaintextLength };
    } finally {
      this.dropDownload(downloadId);
    }
  }

  private download(downloadId: string): DecryptSession {
    const session = this.downloads.get(downloadId);
    if (!session) throw new Error('this file’s decryption was not started or was stopped');
    return session;
  }

  private dropDownload(downloadId: string): void {
    const session = this.downloads.get(downloadId);
    if (session) this.loaded.p.memzero(session.key);
    this.downloads.delete(downloadId);
  }

  private seal(input: SealRequest): SealResult {
    const { c, p } = this.loaded;
    const sealed = c.sealDisclosure(p, {
      disclosureId: c.asDisclosureId(input.disclosureId),
      body: {
        answers: input.answers,
        attachments: input.attachments.map((a) => ({ ...a, id: a.id as never, fileKey: a.fileKey as never, plaintextHash: a.plaintextHash as never })),
        // Checked here as the officer will check it, so a malformed pair fails before sending.
        mailbox: this.mailboxKeys(input.mailbox),
      },
      ...(input.identity ? { identity: input.identity } : {}),
      recipients: input.recipients.map((key) => c.asX25519PublicKey(key)),
    });
    // The keys stay here: the grants carry them to every recipient, the mailbox included.
    p.memzero(sealed.contentKey);
    if (sealed.identityKey) p.memzero(sealed.identityKey);
    return { body: sealed.body, identity: sealed.identity, contentGrants: sealed.contentGrants, identityGrants: sealed.identityGrants };
  }

  private mailboxKeys(mailbox: SealRequest['mailbox']): { authKey: Base64Url; boxKey: Base64Url } {
    const { c } = this.loaded;
    const authKey = c.asEd25519PublicKey(c.fromBase64Url(mailbox.authKey));
    const boxKey = c.asX25519PublicKey(c.fromBase64Url(mailbox.boxKey));
    return { authKey: c.toBase64Url(authKey), boxKey: c.toBase64Url(boxKey) };
  }

  private streamStart(uploadId: string, chunkSize: number): { header: Uint8Array } {
    const { c, p } = this.loaded;
    this.drop(uploadId);
    const encryptor = new c.StreamEncryptor(p, { chunkSize });
    this.streams.set(uploadId, { encryptor, finishing: undefined });
    return { header: encryptor.header };
  }

  private streamNext(uploadId: string): StreamNext {
    const session = this.session(uploadId);
    session.finishing ??= session.encryptor.finish();
    const next = session.finishing.next();
    if (!next.done) return { done: false, frame: next.value };
    const { c, p } = this.loaded;
    const result: StreamNext = {
      done: true,
      fileKey: c.toBase64Url(session.encryptor.key),
      plaintextHash: c.toBase64Url(session.encryptor.plaintextHash),
      size: session.encryptor.plaintextLength,
    };
    p.memzero(session.encryptor.key);
    this.streams.delete(uploadId);
    return result;
  }

  private session(uploadId: string): StreamSession {
    const session = this.streams.get(uploadId);
    if (!session) throw new Error('this file’s encryption was not started or was cancelled');
    return session;
  }

  private drop(uploadId: string): void {
    const session = this.streams.get(uploadId);
    if (session) this.loaded.p.memzero(session.encryptor.key);
    this.streams.delete(uploadId);
  }
}
