// Messages between the page and the crypto worker. Binary values travel as Uint8Array (copied or
// transferred, never as text), and errors as { name, code, message } so that the page can tell the
// person what went wrong (see errors.ts, which reads `code`).
import type { StripResult } from '../metadata/report.ts';

export interface SealRequest {
  readonly disclosureId: Uint8Array;
  readonly answers: Readonly<Record<string, string>>;
  readonly attachments: readonly AttachmentManifestInput[];
  readonly identity?: Readonly<Record<string, string>>;
  /** The receiver's recipients (officers and recovery key), then the mailbox box key. */
  readonly recipients: readonly Uint8Array[];
  /**
   * The mailbox's public keys (base64url), sealed inside the body so officers seal replies to
   * and verify messages against the keys this browser derived, not the ones the server names.
   */
  readonly mailbox: { readonly authKey: string; readonly boxKey: string };
}

export interface AttachmentManifestInput {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly fileKey: string;
  readonly plaintextHash: string;
}

export interface SealResult {
  readonly body: Uint8Array;
  readonly identity: Uint8Array | null;
  readonly contentGrants: readonly Uint8Array[];
  readonly identityGrants: readonly Uint8Array[];
}

export type StreamNext =
  | { readonly done: false; readonly frame: Uint8Array }
  | { readonly done: true; readonly fileKey: string; readonly plaintextHash: string; readonly size: number };

export type WorkerRequest =
  | { readonly op: 'backend' }
  | { readonly op: 'seal'; readonly input: SealRequest }
  | { readonly op: 'pow'; readonly challenge: Uint8Array; readonly difficulty: number }
  | { readonly op: 'streamStart'; readonly uploadId: string; readonly chunkSize: number }
  | { readonly op: 'streamPush'; readonly uploadId: string; readonly data: Uint8Array }
  | { readonly op: 'streamNext'; readonly uploadId: string }
  | { readonly op: 'streamDrop'; readonly uploadId: string }
  | { readonly op: 'decryptStart'; readonly downloadId: string; readonly fileKey: Uint8Array; readonly header: Uint8Array }
  | { readonly op: 'decryptPush'; readonly downloadId: string; readonly frame: Uint8Array }
  | { readonly op: 'decryptFinish'; readonly downloadId: string; readonly plaintextHash: Uint8Array }
  | { readonly op: 'decryptDrop'; readonly downloadId: string }
  | { readonly op: 'strip'; readonly bytes: Uint8Array };

export interface WorkerResults {
  backend: string;
  seal: SealResult;
  pow: Uint8Array | null;
  streamStart: { readonly header: Uint8Array };
  streamPush: { readonly frames: readonly Uint8Array[] };
  streamNext: StreamNext;
  streamDrop: null;
  decryptStart: null;
  /** The file data this frame releases, each piece owning its buffer (transferred). */
  decryptPush: { readonly pieces: readonly Uint8Array[] };
  /** Throws `file_hash_mismatch` when the whole file is not the one the manifest names. */
  decryptFinish: { readonly size: number };
  decryptDrop: null;
  /** Undefined when the bytes are not a JPEG, PNG or WebP (metadata/strip.ts). */
  strip: StripResult | undefined;
}

export type Envelope = { readonly id: number } & WorkerRequest;

export type Reply =
  | { readonly id: number; readonly type: 'result'; readonly result: unknown }
  | { readonly id: number; readonly type: 'progress'; readonly attempts: number }
  | { readonly id: number; readonly type: 'error'; readonly error: SerialisedError };

export interface SerialisedError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
}

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, code: typeof code === 'string' ? code : undefined, message: error.message };
  }
  return { name: 'Error', code: undefined, message: String(error) };
}

/** An error that came back from the worker, keeping its stable code. */
export class WorkerError extends Error {
  readonly code: string | undefined;
  constructor(serialised: SerialisedError) {
    super(serialised.message);
    this.name = serialised.name;
    this.code = serialised.code;
  }
}
