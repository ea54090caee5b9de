// The heavy crypto of the report flow, written once and run either inside the crypto worker (off
// the main thread, the normal case) or on the page when workers are unavailable: sealing the
// report, proof of work, and encrypting files chunk by chunk with StreamEncryptor.
import type { StreamEncryptor } from '../../../crypto/index.ts';
import type { LoadedCrypto } from '../crypto-loader.ts';
import type { SealRequest, SealResult, StreamNext, WorkerRequest, WorkerResults } from './protocol.ts';

interface StreamSession {
  readonly encryptor: StreamEncryptor;
  finishing: Generator<Uint8Array> | undefined;
}

export class CryptoOps {
  private readonly streams = new Map<string, StreamSession>();

  constructor(private readonly loaded: LoadedCrypto) {}

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
    }
  }

  private seal(input: SealRequest): SealResult {
    const { c, p } = this.loaded;
    const sealed = c.sealDisclosure(p, {
      disclosureId: c.asDisclosureId(input.disclosureId),
      body: {
        answers: input.answers,
        attachments: input.attachments.map((a) => ({ ...a, id: a.id as never, fileKey: a.fileKey as never, plaintextHash: a.plaintextHash as never })),
      },
      ...(input.identity ? { identity: input.identity } : {}),
      recipients: input.recipients.map((key) => c.asX25519PublicKey(key)),
    });
    // The keys stay here: the grants carry them to every recipient, the mailbox included.
    p.memzero(sealed.contentKey);
    if (sealed.identityKey) p.memzero(sealed.identityKey);
    return { body: sealed.body, identity: sealed.identity, contentGrants: sealed.contentGrants, identityGrants: sealed.identityGrants };
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
