// Turns any failure into what the person should read: which problem (a key of the `problems`
// catalogue, each with a title and what to do next) and, where it helps, a detail. Crypto errors
// are recognised by their stable `code` (crypto/errors.ts) so this file does not load crypto/.
import { t } from './i18n/index.ts';
import { ApiFailure } from './api/http.ts';

export type ProblemKey = Exclude<keyof typeof t.problems, 'detailsLabel' | 'retryIn' | 'codeWordAt' | 'codeSwapped' | 'codeSuspects' | 'codeCount' | 'or'>;

export interface Problem {
  readonly key: ProblemKey;
  /** A sentence that helps act on it (which word of the code, the server's own message…). */
  readonly detail?: string;
  readonly retryAfterSeconds?: number;
}

/** Thrown when the person stops the proof of work. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled by the person');
    this.name = 'CancelledError';
  }
}

interface CodedError {
  readonly code: string;
  readonly message: string;
  readonly position?: number;
  readonly word?: string;
  readonly suggestions?: readonly string[];
  readonly suspects?: readonly number[];
  readonly swapped?: boolean;
  readonly count?: number;
}

function coded(error: unknown): CodedError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  const message = (error as { message?: unknown }).message;
  return typeof code === 'string' && typeof message === 'string' ? (error as CodedError) : undefined;
}

function quoteList(words: readonly string[]): string {
  return words.map((w) => `“${w}”`).join(` ${t.problems.or} `);
}

const DECRYPTION_CODES = new Set([
  'decryption_failed', 'not_a_recipient', 'wrong_key_purpose', 'bad_padding', 'chunk_tampered', 'chunk_out_of_order',
  'chunk_duplicated', 'stream_truncated', 'stream_extended', 'malformed_encoding', 'invalid_length', 'unsupported_version',
  'unsupported_suite', 'wrong_kind', 'file_hash_mismatch',
]);

function describeApiFailure(error: ApiFailure): Problem {
  if (error.kind === 'network') return { key: 'network' };
  const retry = error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds };
  switch (error.code) {
    case 'rate_limited':
      return { key: 'rateLimited', ...retry };
    case 'database_unavailable':
      return { key: 'unavailable', ...retry };
    case 'unknown_organisation':
    case 'organisation_unavailable':
      return { key: 'unknownOrganisation' };
    case 'disclosure_conflict':
    case 'mailbox_conflict':
      return { key: 'conflict' };
    case 'thread_conflict':
      return { key: 'threadChanged' };
    case 'escalation_conflict':
      return { key: 'alreadyEscalated' };
    case 'login_failed':
      return { key: 'loginFailed' };
    default:
      break;
  }
  if (error.status === 401) return { key: 'sessionExpired' };
  if (error.status === 429) return { key: 'rateLimited', ...retry };
  if (error.status === 503) return { key: 'unavailable', ...retry };
  if (error.status >= 500) return { key: 'server' };
  return { key: 'rejected', detail: error.message };
}

function describeCoded(known: CodedError): Problem | undefined {
  switch (known.code) {
    case 'invalid_certificate':
    case 'directory_untrusted':
      return { key: 'directory', detail: known.message };
    case 'backend_unavailable':
    case 'crypto_load_failed':
      return { key: 'cryptoUnavailable' };
    case 'mailbox_code_length':
      return { key: 'codeLength', ...(known.count === undefined ? {} : { detail: t.problems.codeCount(known.count) }) };
    case 'mailbox_code_unknown_word':
      return { key: 'codeWord', detail: t.problems.codeWordAt(known.position ?? 0, known.word ?? '', quoteList(known.suggestions ?? [])) };
    case 'mailbox_code_checksum': {
      const suspects = known.suspects ?? [];
      if (known.swapped && suspects.length === 2) return { key: 'codeChecksum', detail: t.problems.codeSwapped(suspects[0]!, suspects[1]!) };
      if (suspects.length > 0) return { key: 'codeChecksum', detail: t.problems.codeSuspects(suspects.join(` ${t.problems.or} `)) };
      return { key: 'codeChecksum' };
    }
    default:
      return DECRYPTION_CODES.has(known.code) ? { key: 'decryption', detail: known.message } : undefined;
  }
}

export function describeProblem(error: unknown): Problem {
  if (error instanceof CancelledError) return { key: 'powCancelled' };
  if (error instanceof ApiFailure) return describeApiFailure(error);
  const known = coded(error);
  if (known !== undefined) {
    const specific = describeCoded(known);
    if (specific !== undefined) return specific;
  }
  return error instanceof Error && error.message !== '' ? { key: 'unexpected', detail: error.message } : { key: 'unexpected' };
}

/** Whether trying the same thing again may work (network, busy, outage, a 5xx). */
export function isRetryable(problem: Problem): boolean {
  return problem.key === 'network' || problem.key === 'rateLimited' || problem.key === 'unavailable' || problem.key === 'server';
}
