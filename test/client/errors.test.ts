// Every failure a discloser can meet maps to a message that says what happened and what to do
// next (client/lib/i18n/en/problems.ts), never to a blank page or a raw error.
import { describe, expect, it } from 'vitest';
import {
  CertificateError,
  ChunkTamperedError,
  DecryptionFailedError,
  loadBackend,
  MailboxCodeChecksumError,
  MailboxCodeLengthError,
  MailboxCodeWordError,
  parseMailboxCode,
} from '../../crypto/index.ts';
import { ApiFailure } from '../../client/lib/api/http.ts';
import { CryptoLoadError } from '../../client/lib/crypto-loader.ts';
import { DirectoryUntrustedError } from '../../client/lib/directory.ts';
import { CancelledError, describeProblem, isRetryable, type ProblemKey } from '../../client/lib/errors.ts';
import { t } from '../../client/lib/i18n/index.ts';

const http = (status: number, code: string, message = 'server says', retryAfter?: number) => new ApiFailure('http', status, code, message, retryAfter);

describe('API failures', () => {
  it.each<[string, ApiFailure, ProblemKey, boolean]>([
    ['no answer', new ApiFailure('network', 0, 'network', 'x'), 'network', true],
    ['rate limited', http(429, 'rate_limited', 'slow down', 30), 'rateLimited', true],
    ['429 without a code', http(429, 'http_429'), 'rateLimited', true],
    ['database outage', http(503, 'database_unavailable', 'down', 5), 'unavailable', true],
    ['a bare 502 from a proxy', http(502, 'http_502'), 'server', true],
    ['internal error', http(500, 'internal_error'), 'server', true],
    ['unknown organisation', http(404, 'unknown_organisation'), 'unknownOrganisation', false],
    ['organisation without a roster', http(409, 'organisation_unavailable'), 'unknownOrganisation', false],
    ['conflicting retry', http(409, 'disclosure_conflict'), 'conflict', false],
    ['thread moved on', http(409, 'thread_conflict'), 'threadChanged', false],
    ['already escalated', http(409, 'escalation_conflict'), 'alreadyEscalated', false],
    ['wrong code at login', http(401, 'login_failed'), 'loginFailed', false],
    ['session expired', http(401, 'unauthenticated'), 'sessionExpired', false],
    ['bad request', http(400, 'invalid_grants', 'The content grants have none for Aroha.'), 'rejected', false],
  ])('%s → %s', (_what, failure, key, retryable) => {
    const problem = describeProblem(failure);
    expect(problem.key).toBe(key);
    expect(isRetryable(problem)).toBe(retryable);
  });

  it('passes on Retry-After so the page can say how long to wait', () => {
    expect(describeProblem(http(429, 'rate_limited', 'x', 30))).toEqual({ key: 'rateLimited', retryAfterSeconds: 30 });
    expect(describeProblem(http(503, 'database_unavailable', 'x', 5))).toEqual({ key: 'unavailable', retryAfterSeconds: 5 });
  });

  it('shows the server’s own words for a refusal it explains', () => {
    expect(describeProblem(http(400, 'invalid_grants', 'The content grants have none for Aroha.'))).toEqual({
      key: 'rejected',
      detail: 'The content grants have none for Aroha.',
    });
  });
});

describe('local failures', () => {
  it('explains a directory that does not verify, with the reason', () => {
    expect(describeProblem(new CertificateError('organisation "X": it is not certified by a trusted root key'))).toEqual({
      key: 'directory',
      detail: 'organisation "X": it is not certified by a trusted root key',
    });
    expect(describeProblem(new DirectoryUntrustedError('the roster does not verify')).key).toBe('directory');
  });

  it('explains crypto that cannot start, a stopped proof of work, and damaged data', () => {
    expect(describeProblem(new CryptoLoadError(new Error('no'))).key).toBe('cryptoUnavailable');
    expect(describeProblem(new CancelledError()).key).toBe('powCancelled');
    expect(describeProblem(new DecryptionFailedError('message 3')).key).toBe('decryption');
    expect(describeProblem(new ChunkTamperedError(2)).key).toBe('decryption');
  });

  it('names the word of a mistyped mailbox code, with suggestions', () => {
    const problem = describeProblem(new MailboxCodeWordError(13, 'sidd', ['side', 'slide']));
    expect(problem.key).toBe('codeWord');
    expect(problem.detail).toBe('Word 13 (“sidd”) is not a mailbox-code word. Did you mean “side” or “slide”?');
    expect(describeProblem(new MailboxCodeWordError(2, 'qqqq', [])).detail).toBe('Word 2 (“qqqq”) is not a mailbox-code word.');
  });

  it('says which words look swapped or wrong in a code that does not add up', () => {
    expect(describeProblem(new MailboxCodeChecksumError([4, 5], true))).toEqual({ key: 'codeChecksum', detail: 'Words 4 and 5 look swapped.' });
    expect(describeProblem(new MailboxCodeChecksumError([3, 9], false))).toEqual({ key: 'codeChecksum', detail: 'Check word 3 or 9.' });
    expect(describeProblem(new MailboxCodeChecksumError([], false))).toEqual({ key: 'codeChecksum' });
    expect(describeProblem(new MailboxCodeLengthError(13, 12))).toEqual({ key: 'codeLength', detail: 'You typed 12 words.' });
  });

  it('maps what the real parser throws for swapped words', async () => {
    const p = await loadBackend({ prefer: 'noble' });
    const words = 'ritual gadget dad bomb shadow access universe divide avoid sugar helmet result side'.split(' ');
    const code = parseMailboxCode(p, words.join(' '));
    expect(code).toBeTruthy();
    [words[3], words[4]] = [words[4]!, words[3]!];
    let thrown: unknown;
    try {
      parseMailboxCode(p, words.join(' '));
    } catch (error) {
      thrown = error;
    }
    expect(describeProblem(thrown)).toEqual({ key: 'codeChecksum', detail: 'Words 4 and 5 look swapped.' });
  });

  it('still says something for anything else', () => {
    expect(describeProblem(new Error('boom'))).toEqual({ key: 'unexpected', detail: 'boom' });
    expect(describeProblem('a string')).toEqual({ key: 'unexpected' });
    expect(describeProblem(undefined)).toEqual({ key: 'unexpected' });
  });
});

describe('the catalogue', () => {
  it('has a title and a next step for every problem key', () => {
    const keys: ProblemKey[] = [
      'network', 'rateLimited', 'unavailable', 'server', 'rejected', 'unknownOrganisation', 'conflict', 'alreadyEscalated', 'threadChanged',
      'loginFailed', 'sessionExpired', 'directory', 'cryptoUnavailable', 'powCancelled', 'codeLength', 'codeWord',
      'codeChecksum', 'decryption', 'unexpected',
    ];
    for (const key of keys) {
      expect(t.problems[key].title.length, key).toBeGreaterThan(10);
      expect(t.problems[key].next.length, key).toBeGreaterThan(10);
    }
  });
});
