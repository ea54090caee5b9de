/**
 * Every failure in crypto/ is a CandourCryptoError with a stable `code`. Locally (the discloser's
 * browser, the officer console, the CLI) the specific subclass tells the person what went wrong;
 * a server that relays a failure to a remote party must map all decryption failures to one answer.
 * Messages never contain key material or plaintext.
 */
export class CandourCryptoError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A key, nonce, hash or field has the wrong number of bytes. */
export class InvalidLengthError extends CandourCryptoError {
  constructor(what: string, expected: number | string, actual: number) {
    super('invalid_length', `${what} must be ${expected} bytes, got ${actual}`);
  }
}

/** Text that should be base64url, hex or UTF-8 is not, or a binary structure does not parse. */
export class MalformedEncodingError extends CandourCryptoError {
  constructor(message: string) {
    super('malformed_encoding', message);
  }
}

/** The format version byte is not one this code understands (a future or forged format). */
export class UnsupportedVersionError extends CandourCryptoError {
  constructor(version: number) {
    super('unsupported_version', `format version ${version} is not supported (this build reads version 1)`);
  }
}

/** The suite id names a set of algorithms this code does not implement. */
export class UnsupportedSuiteError extends CandourCryptoError {
  constructor(suite: number) {
    super('unsupported_suite', `cipher suite ${suite} is not supported (this build implements suite 1)`);
  }
}

/** Bytes of one kind (say a certificate) were given where another (say a message) was expected. */
export class WrongKindError extends CandourCryptoError {
  constructor(expected: string, actual: number) {
    super('wrong_kind', `expected ${expected}, found object kind ${actual}`);
  }
}

/** Authenticated decryption failed: wrong key, or the ciphertext or its header was altered. */
export class DecryptionFailedError extends CandourCryptoError {
  constructor(what: string) {
    super('decryption_failed', `${what} could not be decrypted: wrong key or altered data`);
  }
}

/** None of the key grants offered opens with the secret key that was given. */
export class NotARecipientError extends CandourCryptoError {
  constructor() {
    super('not_a_recipient', 'none of the key grants is addressed to this key');
  }
}

/** A grant opened, but carries a key for another purpose (say a message key offered as a content key). */
export class WrongKeyPurposeError extends CandourCryptoError {
  constructor(expected: string, actual: number) {
    super('wrong_key_purpose', `expected a ${expected} grant, found purpose ${actual}`);
  }
}

/** Padding inside an authenticated plaintext is not the canonical Candour padding. */
export class PaddingError extends CandourCryptoError {
  constructor() {
    super('bad_padding', 'plaintext padding is malformed');
  }
}

/** A stream chunk failed authentication at its position: its bytes or its frame were altered. */
export class ChunkTamperedError extends CandourCryptoError {
  readonly index: number;
  constructor(index: number) {
    super('chunk_tampered', `chunk ${index} was altered or does not belong to this file`);
    this.index = index;
  }
}

/** A chunk arrived at the wrong position: an earlier one is missing or the chunks were reordered. */
export class ChunkOutOfOrderError extends CandourCryptoError {
  readonly expected: number;
  readonly found: number;
  constructor(expected: number, found: number) {
    super('chunk_out_of_order', `expected chunk ${expected}, found chunk ${found}: chunks are missing or reordered`);
    this.expected = expected;
    this.found = found;
  }
}

/** A chunk that was already consumed arrived again. */
export class ChunkDuplicatedError extends CandourCryptoError {
  readonly index: number;
  constructor(index: number) {
    super('chunk_duplicated', `chunk ${index} arrived twice`);
    this.index = index;
  }
}

/** The stream ended before its final chunk: the file was truncated. */
export class StreamTruncatedError extends CandourCryptoError {
  constructor(chunksSeen: number) {
    super('stream_truncated', `the file ends after ${chunksSeen} chunk(s) without its final chunk: it was truncated`);
  }
}

/** Data follows the final chunk. */
export class StreamExtendedError extends CandourCryptoError {
  constructor() {
    super('stream_extended', 'data follows the final chunk of the file');
  }
}

/** A thread message's signature does not verify, or its author is not who it may be. */
export class ForgedAuthorError extends CandourCryptoError {
  readonly seq: number;
  constructor(seq: number, why: string) {
    super('forged_author', `message ${seq}: ${why}`);
    this.seq = seq;
  }
}

/** A thread is missing a message: the sequence jumps and the gap never fills. */
export class DroppedMessageError extends CandourCryptoError {
  readonly expected: number;
  readonly found: number;
  constructor(expected: number, found: number) {
    super('dropped_message', `message ${expected} is missing (next present is ${found})`);
    this.expected = expected;
    this.found = found;
  }
}

/** Thread messages are present but out of order, or one is repeated. */
export class ReorderedMessageError extends CandourCryptoError {
  readonly expected: number;
  readonly found: number;
  constructor(expected: number, found: number) {
    super('reordered_message', `expected message ${expected}, found message ${found}: the thread was reordered`);
    this.expected = expected;
    this.found = found;
  }
}

/** A message names the right position but a different predecessor: someone substituted a message. */
export class BrokenChainError extends CandourCryptoError {
  readonly seq: number;
  constructor(seq: number) {
    super('broken_chain', `message ${seq} does not follow the message before it: the thread was altered`);
    this.seq = seq;
  }
}

/** A certificate, roster or directory does not verify; `reason` says which check failed. */
export class CertificateError extends CandourCryptoError {
  constructor(reason: string) {
    super('invalid_certificate', reason);
  }
}

/** The key file's passphrase is wrong (the file itself is intact). */
export class WrongPassphraseError extends CandourCryptoError {
  constructor() {
    super('wrong_passphrase', 'the passphrase does not unlock this key file');
  }
}

/** The key file is damaged or is not a Candour key file. */
export class KeyFileDamagedError extends CandourCryptoError {
  constructor(why: string) {
    super('key_file_damaged', `the key file is damaged or not a Candour key file: ${why}`);
  }
}

/** Key-derivation parameters are outside what this build accepts. */
export class WeakParametersError extends CandourCryptoError {
  constructor(message: string) {
    super('weak_parameters', message);
  }
}

/** A mailbox code has a word that is not in the list; `position` is 1-based as the person counts. */
export class MailboxCodeWordError extends CandourCryptoError {
  readonly position: number;
  readonly word: string;
  readonly suggestions: readonly string[];
  constructor(position: number, word: string, suggestions: readonly string[]) {
    const hint = suggestions.length > 0 ? ` (did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?)` : '';
    super('mailbox_code_unknown_word', `word ${position}, "${word}", is not a mailbox-code word${hint}`);
    this.position = position;
    this.word = word;
    this.suggestions = suggestions;
  }
}

/** A mailbox code has the wrong number of words. */
export class MailboxCodeLengthError extends CandourCryptoError {
  readonly count: number;
  constructor(expected: number, count: number) {
    super('mailbox_code_length', `a mailbox code has ${expected} words; this one has ${count}`);
    this.count = count;
  }
}

/**
 * Every word is valid but the checksum fails: a word was mistyped as another valid word, or two
 * words were swapped. `suspects` lists 1-based positions that, when corrected, give a valid code.
 */
export class MailboxCodeChecksumError extends CandourCryptoError {
  readonly suspects: readonly number[];
  readonly swapped: boolean;
  constructor(suspects: readonly number[], swapped: boolean) {
    const where = swapped
      ? `words ${suspects.join(' and ')} look swapped`
      : suspects.length > 0
        ? `check word ${suspects.join(' or ')}`
        : 'a word is mistyped or two words are swapped';
    super('mailbox_code_checksum', `this mailbox code does not check out: ${where}`);
    this.suspects = suspects;
    this.swapped = swapped;
  }
}

/** The requested backend cannot run here (for example libsodium without WebAssembly). */
export class BackendUnavailableError extends CandourCryptoError {
  constructor(message: string) {
    super('backend_unavailable', message);
  }
}
