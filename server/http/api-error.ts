// The one error shape clients see: `{ "error": { "code": "...", "message": "..." } }`.
// `code` is stable and machine-readable; `message` is for people and may change.

export type ApiErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'database_unavailable'
  | 'internal_error'
  | 'invalid_message'
  | 'author_not_allowed'
  | 'thread_conflict'
  | 'invalid_certificate'
  | 'storage_full'
  // Discloser API (server/routes/discloser-*.ts); it also uses invalid_grants, invalid_ciphertext,
  // login_failed and unauthenticated from the officer list below.
  | 'invalid_encoding'
  | 'pow_invalid'
  | 'pow_expired'
  | 'unknown_organisation'
  | 'organisation_unavailable'
  | 'disclosure_conflict'
  | 'mailbox_conflict'
  | 'unknown_attachment'
  | 'attachment_conflict'
  | 'attachment_incomplete'
  | 'invalid_escalation'
  | 'escalation_conflict'
  // Officer API (server/routes/officer-*.ts)
  | 'unauthenticated'
  | 'login_failed'
  | 'totp_required'
  | 'csrf'
  | 'forbidden'
  | 'conflict_declaration_required'
  | 'conflict_of_interest'
  | 'already_declared'
  | 'invalid_transition'
  | 'no_identity'
  | 'identity_already_revealed'
  | 'invalid_grants'
  | 'invalid_ciphertext'
  | 'unknown_officer'
  | 'officer_retired'
  | 'unknown_authority'
  | 'case_exists'
  | 'weak_password'
  | 'username_taken'
  | 'invalid_totp'
  | 'totp_not_enrolled'
  | 'totp_already_enabled'
  | 'cannot_retire_self'
  | 'certificate_in_use'
  // Statutory clock (docs/statutory.md)
  | 'duty_already_met'
  | 'invalid_timeframe'
  | 'timeframe_too_late'
  | 'timeframe_not_needed'
  | 'not_escalated'
  | 'already_consulted'
  // Case access for a newly certified officer (server/routes/officer-grant-routes.ts)
  | 'invalid_consultation'
  | 'unknown_recipient'
  | 'already_granted';

export interface ErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string };
}

/** Seconds a client should wait before retrying when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: ApiErrorCode;
  /** Sent as `Retry-After` (503, 429). */
  readonly retryAfterSeconds: number | undefined;

  constructor(statusCode: number, code: ApiErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static invalidRequest(message: string): ApiError {
    return new ApiError(400, 'invalid_request', message);
  }

  static notFound(message = 'There is nothing at this address.'): ApiError {
    return new ApiError(404, 'not_found', message);
  }

  static payloadTooLarge(message = 'The request body is larger than this endpoint accepts.'): ApiError {
    return new ApiError(413, 'payload_too_large', message);
  }

  static unsupportedMediaType(message = 'This endpoint accepts application/json request bodies only.'): ApiError {
    return new ApiError(415, 'unsupported_media_type', message);
  }

  static rateLimited(retryAfterSeconds: number): ApiError {
    return new ApiError(429, 'rate_limited', 'Too many requests. Please wait and try again.', retryAfterSeconds);
  }

  static databaseUnavailable(): ApiError {
    return new ApiError(
      503,
      'database_unavailable',
      'The service is temporarily unavailable. Please try again shortly.',
      DATABASE_RETRY_AFTER_SECONDS,
    );
  }

  static internal(): ApiError {
    return new ApiError(500, 'internal_error', 'Something went wrong on our side. Please try again later.');
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}
