// GET /demo/root-public-key.json — demo deployments only. A demo client build pins no root key
// (there is no operator ceremony behind a demo), so it fetches the root keys this server trusts
// from here and tells the person plainly that this check cannot protect them from the server.
// In production the route does not exist: a production client has its root keys built in.
import type { FastifyInstance } from 'fastify';
import { toBase64Url } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';

export function registerDemoRootRoute(app: FastifyInstance, context: AppContext): void {
  if (context.config.mode !== 'demo') return;
  app.get('/demo/root-public-key.json', { config: { accessLog: false } }, async () => ({
    rootPublicKeys: context.config.rootPublicKeys.map((key) => toBase64Url(key)),
  }));
}
