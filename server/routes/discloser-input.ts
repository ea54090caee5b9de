// Schema fragments and decoders for the discloser API. JSON schemas bound types and sizes; binary
// values then go through crypto/'s strict base64url decoder here, so a malformed value is always
// 400 `invalid_encoding` naming the field, never a 500 further down.
import { fromBase64Url, KEY_BYTES, POW_NONCE_BYTES } from '../../crypto/index.ts';
import { ApiError } from '../http/api-error.ts';
import { strictObject, type JsonSchema } from '../http/strict-schema.ts';

/** A 16-byte id written as lower-case UUID text (one spelling per id, so retries match). */
export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export const uuidSchema: JsonSchema = { type: 'string', pattern: UUID_PATTERN };

/** A base64url string of at most `maxBytes` bytes (the decoder checks the alphabet and exact length). */
export function binarySchema(maxBytes: number): JsonSchema {
  return { type: 'string', minLength: 1, maxLength: Math.ceil((maxBytes * 4) / 3) };
}

/** Public keys: generous enough that a wrong length reaches the decoder and gets a clear message. */
export const keySchema = binarySchema(2 * KEY_BYTES);
/** Server tokens (challenges): payload and MAC, well under this. */
export const tokenSchema: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };

export const powSchema = strictObject({ challenge: tokenSchema, nonce: binarySchema(4 * POW_NONCE_BYTES) }, ['challenge', 'nonce']);

export const attachmentIdsSchema: JsonSchema = { type: 'array', maxItems: 100, uniqueItems: true, items: uuidSchema, default: [] };

export function idParams<const K extends string>(...names: K[]) {
  return strictObject(Object.fromEntries(names.map((name) => [name, uuidSchema])) as Record<K, JsonSchema>, names);
}

/**
 * Decodes a base64url field; 400 `invalid_encoding` naming `field` when it is not strict
 * base64url or not exactly `length` bytes (or longer than `maxLength`).
 */
export function decodeField(field: string, text: string, size: { length?: number; maxLength?: number } = {}): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch {
    throw new ApiError(400, 'invalid_encoding', `${field} is not base64url without padding.`);
  }
  if (size.length !== undefined && bytes.length !== size.length) {
    throw new ApiError(400, 'invalid_encoding', `${field} must be ${size.length} bytes, not ${bytes.length}.`);
  }
  if (size.maxLength !== undefined && bytes.length > size.maxLength) {
    throw new ApiError(400, 'invalid_encoding', `${field} may be at most ${size.maxLength} bytes.`);
  }
  return bytes;
}

export function decodeKey(field: string, text: string): Uint8Array {
  return decodeField(field, text, { length: KEY_BYTES });
}
