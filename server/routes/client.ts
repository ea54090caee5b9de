// Serves the built client when `dist/client/index.html` exists, otherwise a placeholder at `/`;
// the officer console's page (`officer.html`) is also served at `/officer`.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Mode } from '../config.ts';
import { loadStaticSite } from '../http/static-site.ts';
import { placeholderPage } from './placeholder-page.ts';

const HTML = 'text/html; charset=utf-8';

export async function registerClientRoutes(app: FastifyInstance, options: { mode: Mode; clientDir: string }): Promise<void> {
  const site = await loadStaticSite(options.clientDir);
  if (site === undefined) {
    const page = placeholderPage(options.mode);
    app.get('/', async (_request, reply) => reply.header('content-type', HTML).send(page));
    return;
  }
  for (const name of site.skipped) app.log.warn({ file: name }, 'client file not served (hidden, symlink, odd name or unknown type)');
  for (const file of site.files) {
    const serve = async (_request: unknown, reply: FastifyReply) => reply.header('content-type', file.contentType).send(file.body);
    app.get(file.urlPath, serve);
    if (file.urlPath === '/index.html') app.get('/', serve);
    // The officer console, a separate entry: disclosers never load its code.
    if (file.urlPath === '/officer.html') app.get('/officer', serve);
  }
}
