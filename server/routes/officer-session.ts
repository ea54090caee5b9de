// The officer session cookie and the checks every officer route runs before its handler:
// the CSRF header on anything that changes state, then the session, then (admin routes) the role.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Mode } from '../config.ts';
import { ApiError } from '../http/api-error.ts';
import { type OfficerAuthService, type OfficerSession, SESSION_COOKIE } from '../services/officer-auth-service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Officer routes: 'public' needs no session (login), 'admin' needs the admin role. */
    officerAccess?: 'public' | 'officer' | 'admin';
  }
  interface FastifyRequest {
    /** The officer's session, set by the officer routes' onRequest hook. */
    officerSession: OfficerSession | null;
  }
}

export const CSRF_HEADER = 'x-candour-csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `candour_officer=<token>; Path=/; HttpOnly; SameSite=Strict` (+ `Secure` in production). No
 * Max-Age: the cookie ends with the browser session, and the server ends the session sooner
 * (15 minutes idle, 8 hours at most).
 */
export function sessionCookie(token: string, mode: Mode): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${mode === 'production' ? '; Secure' : ''}`;
}

export function clearedSessionCookie(mode: Mode): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${mode === 'production' ? '; Secure' : ''}`;
}

export function readSessionCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function registerOfficerGuards(scope: FastifyInstance, auth: OfficerAuthService): void {
  scope.decorateRequest('officerSession', null);
  scope.addHook('onRequest', async (request) => {
    // SameSite=Strict keeps the cookie off cross-site requests; a custom header also stops a
    // plain form post, which cannot set one.
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== '1') {
      throw new ApiError(403, 'csrf', `Officer requests that change something must carry the header X-Candour-Csrf: 1.`);
    }
    const access = request.routeOptions.config.officerAccess ?? 'officer';
    if (access === 'public') return;
    const token = readSessionCookie(request.headers.cookie);
    const session = token === undefined ? null : await auth.authenticate(token);
    if (!session) throw new ApiError(401, 'unauthenticated', 'Please sign in again: your session has ended.');
    if (access === 'admin' && session.role !== 'admin') throw new ApiError(403, 'forbidden', 'Only an administrator of your organisation can do this.');
    request.officerSession = session;
  });
}

/** The session of a route behind the guard (never null there). */
export function officerOf(request: FastifyRequest): OfficerSession {
  if (!request.officerSession) throw new ApiError(401, 'unauthenticated', 'Please sign in again: your session has ended.');
  return request.officerSession;
}

export function setSessionCookie(reply: FastifyReply, token: string, mode: Mode): void {
  reply.header('set-cookie', sessionCookie(token, mode));
}
