// Request schemas and decoders shared by the officer routes. Binary values arrive as base64url
// without padding; each is decoded strictly with crypto/ and its length checked here, so a
// malformed value is a 400 with a stable code and never reaches a service.
import { CandourCryptoError, FORMAT_VERSION, fromBase64Url, GRANT_BYTES, Kind, KEY_BYTES, SUITE_V1 } from '../../crypto/index.ts';
import type { GrantPurpose } from '../db/schema.ts';
import { ApiError, type ApiErrorCode } from '../http/api-error.ts';
import { strictObject } from '../http/strict-schema.ts';
import type { GrantBytes } from '../services/case-service.ts';

/** A calendar date written YYYY-MM-DD (whether it exists is the service's check). */
export const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
export const uuid = { type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' } as const;

export function base64url(maxChars: number) {
  return { type: 'string', minLength: 1, maxLength: maxChars, pattern: '^[A-Za-z0-9_-]+$' } as const;
}

/**
 * Text stored in PostgreSQL: no control characters (a NUL cannot be stored at all) and no lone
 * UTF-16 surrogates (which cannot be encoded), so such input is a 400, never a database error.
 */
export function plainText(maxLength: number, minLength = 1) {
  return { type: 'string', minLength, maxLength, pattern: '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F\\uD800-\\uDFFF]*$' } as const;
}

export const caseParams = strictObject({ caseId: uuid }, ['caseId']);

export const MAX_GRANTS = 1000;
export const CERTIFICATE_HASH_BYTES = 32;
const GRANT_TEXT = Math.ceil((GRANT_BYTES * 4) / 3);
const KEY_TEXT = Math.ceil((KEY_BYTES * 4) / 3);

export const grantSchema = strictObject({ recipientKey: base64url(KEY_TEXT), grant: base64url(GRANT_TEXT) }, ['recipientKey', 'grant']);

export const referralGrantSchema = strictObject({
  recipientKey: base64url(KEY_TEXT),
  purpose: { type: 'string', enum: ['content', 'identity', 'message'] },
  threadId: uuid,
  seq: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 },
  grant: base64url(GRANT_TEXT),
}, ['recipientKey', 'purpose', 'grant']);

export interface GrantText {
  readonly recipientKey: string;
  readonly grant: string;
  readonly purpose?: GrantPurpose;
  readonly threadId?: string;
  readonly seq?: number;
}

/** Strict base64url to bytes, with a length check; any problem is a 400 with `code`. */
export function decodeBytes(text: string, what: string, code: ApiErrorCode, length: { exact?: number; min?: number; max?: number }): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new ApiError(400, code, `The ${what} is not valid base64url (RFC 4648 §5, without padding).`);
    throw error;
  }
  if (length.exact !== undefined && bytes.length !== length.exact) {
    throw new ApiError(400, code, `The ${what} must be ${length.exact} bytes, not ${bytes.length}.`);
  }
  if ((length.min !== undefined && bytes.length < length.min) || (length.max !== undefined && bytes.length > length.max)) {
    throw new ApiError(400, code, `The ${what} must be ${length.min ?? 0} to ${length.max ?? 'any number of'} bytes, not ${bytes.length}.`);
  }
  return bytes;
}

/** Decodes key grants: 32-byte recipient keys, 87-byte grants that start with the v1 grant prefix. */
export function decodeGrants(grants: readonly GrantText[]): GrantBytes[] {
  return grants.map((input, i) => {
    const recipientKey = decodeBytes(input.recipientKey, `recipient key of grant ${i + 1}`, 'invalid_grants', { exact: KEY_BYTES });
    const grant = decodeBytes(input.grant, `grant ${i + 1}`, 'invalid_grants', { exact: GRANT_BYTES });
    if (grant[0] !== FORMAT_VERSION || grant[1] !== SUITE_V1 || grant[2] !== Kind.keyGrant) {
      throw new ApiError(400, 'invalid_grants', `Grant ${i + 1} is not a version 1 key grant.`);
    }
    return {
      recipientKey,
      grant,
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      ...(input.threadId !== undefined ? { threadId: input.threadId.toLowerCase() } : {}),
      ...(input.seq !== undefined ? { seq: input.seq } : {}),
    };
  });
}
