// A stand-in for the server, for unit tests of client logic that talks to the API: routes
// `METHOD /path` to handlers and records every request (method, path, body text) it was sent.
import { vi } from 'vitest';

export type Handler = (body: string) => Response | Promise<Response>;

export interface FakeServer {
  readonly calls: { method: string; path: string; body: string }[];
  on(method: string, path: string, handler: Handler): void;
  restore(): void;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function apiError(status: number, code: string, message = `${code} happened`): Response {
  return json(status, { error: { code, message } });
}

/** A handler that fails as a dropped connection does (fetch rejects with a TypeError). */
export const networkFailure: Handler = () => {
  throw new TypeError('Failed to fetch');
};

export function fakeServer(): FakeServer {
  const routes = new Map<string, Handler[]>();
  const calls: FakeServer['calls'] = [];
  const fetchStub = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : new URL(input.url).pathname;
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? init.body : init?.body instanceof Uint8Array ? new TextDecoder().decode(init.body) : '';
    calls.push({ method, path, body });
    const queue = routes.get(`${method} ${path}`);
    if (!queue || queue.length === 0) return apiError(404, 'not_found');
    // Handlers are used in order; the last one answers every further call.
    const handler = queue.length > 1 ? queue.shift()! : queue[0]!;
    return handler(body);
  });
  vi.stubGlobal('fetch', fetchStub);
  return {
    calls,
    on(method, path, handler) {
      const key = `${method} ${path}`;
      routes.set(key, [...(routes.get(key) ?? []), handler]);
    },
    restore() {
      vi.unstubAllGlobals();
    },
  };
}
