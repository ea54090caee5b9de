// The one place the discloser pages talk to the server. Same origin only, no cookies, no cache,
// no referrer, no redirects. Every failure becomes an ApiFailure: `network` when no answer came
// (the request may or may not have arrived), `http` with the API's stable error code otherwise.

export type FailureKind = 'network' | 'http';

export class ApiFailure extends Error {
  readonly kind: FailureKind;
  /** HTTP status, 0 for a network failure. */
  readonly status: number;
  /** The API's stable code (`{ error: { code } }`), or `network` / `http_<status>` when it sent none. */
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: FailureKind, status: number, code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiFailure';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface RequestOptions {
  readonly json?: unknown;
  readonly bytes?: Uint8Array;
  readonly token?: string;
  readonly signal?: AbortSignal;
}

export interface Answer<T> {
  readonly status: number;
  readonly data: T;
}

function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null || !/^\d{1,5}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** The failure a non-2xx answer means: the server's stable code and message when it sent the error shape. */
export function httpFailure(response: Response, data: unknown): ApiFailure {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
  const message = typeof error?.message === 'string' ? error.message : `the server answered ${response.status}`;
  return new ApiFailure('http', response.status, code, message, retryAfter(response));
}

/**
 * fetch with the discloser site's rules: no credentials, no cache, no redirects, no referrer.
 * A request that gets no answer is an ApiFailure 'network'; an aborted one stays an AbortError.
 */
async function send(path: string, init: { method: string; headers: Record<string, string>; body?: BodyInit }, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(path, {
      ...init,
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiFailure('network', 0, 'network', 'the request did not get an answer');
  }
}

/** Sends a request to this site and parses a JSON answer. Throws ApiFailure (or AbortError when aborted). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  if (!path.startsWith('/')) throw new Error('requests go to this site only');
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.bytes !== undefined) {
    headers['content-type'] = 'application/octet-stream';
    body = options.bytes as Uint8Array<ArrayBuffer>;
  }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const response = await send(path, { method, headers, ...(body === undefined ? {} : { body }) }, options.signal);
  let data: unknown;
  const text = await response.text().catch(() => undefined);
  if (text === undefined) throw new ApiFailure('network', 0, 'network', 'the answer was cut off');
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) throw httpFailure(response, data);
  return { status: response.status, data: data as T };
}

/** Waits, or rejects with AbortError when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * GETs a binary answer without reading it: the caller reads `body` piece by piece, so a large
 * file never sits in memory whole. Failures are the same ApiFailures as `request`'s.
 */
export async function requestStream(path: string, options: { readonly token?: string; readonly signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
  if (!path.startsWith('/')) throw new Error('requests go to this site only');
  const headers: Record<string, string> = { accept: 'application/octet-stream, application/json' };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  const response = await send(path, { method: 'GET', headers }, options.signal);
  if (!response.ok || response.body === null) throw httpFailure(response, await response.json().catch(() => undefined));
  return response.body;
}
