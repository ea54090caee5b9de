// Response headers that make the browser enforce what the design promises: no inline or
// third-party script, no framing, no referrer, no powerful features, and nothing cached.
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Mode } from '../config.ts';

/**
 * Every response is `no-store`, not just the API: the discloser's device may later be examined
 * by the employer it belongs to (REVIEW.md), and a cached page or asset is evidence of a visit.
 * The cost is re-downloading the client on each visit, which is small.
 */
export const CACHE_CONTROL = 'no-store';

/** Features no Candour page needs. clipboard-write is left allowed: a discloser copies their mailbox code. */
const DENIED_FEATURES = [
  'accelerometer', 'autoplay', 'browsing-topics', 'camera',
  'display-capture', 'encrypted-media', 'geolocation', 'gyroscope', 'hid', 'idle-detection',
  'interest-cohort', 'magnetometer', 'microphone', 'midi', 'payment', 'picture-in-picture',
  'publickey-credentials-get', 'screen-wake-lock', 'serial', 'usb', 'xr-spatial-tracking',
];
export const PERMISSIONS_POLICY = DENIED_FEATURES.map((feature) => `${feature}=()`).join(', ');

/**
 * The CSP. `'wasm-unsafe-eval'` lets libsodium's WebAssembly compile without allowing JS eval.
 * `upgrade-insecure-requests` only in production: on a plain-http demo at localhost it would send
 * the browser to an https:// address nothing listens on.
 */
export function contentSecurityPolicyDirectives(mode: Mode): Record<string, string[]> {
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'"],
    'font-src': ["'self'"],
    'manifest-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    ...(mode === 'production' ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

export async function registerSecurityHeaders(app: FastifyInstance, mode: Mode): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicyDirectives(mode) },
    // COEP require-corp blocks only cross-origin resources without CORP; Candour loads none.
    crossOriginEmbedderPolicy: { policy: 'require-corp' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    // Browsers ignore HSTS over plain http, so sending it in demo mode is harmless.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', async (_request, reply) => {
    applyBaselineHeaders(reply);
  });
}

/** Headers helmet does not set. Also called for errors raised before hooks run (see error-handler.ts). */
export function applyBaselineHeaders(reply: FastifyReply): void {
  reply.header('cache-control', CACHE_CONTROL);
  reply.header('permissions-policy', PERMISSIONS_POLICY);
  reply.header('x-content-type-options', 'nosniff');
}
