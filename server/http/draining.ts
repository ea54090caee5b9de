// While the application closes, responses ask the client to drop its kept-alive connection.
// Without this, a request that was in flight when shutdown began leaves an idle keep-alive
// socket behind, and closing the server waits for it until the client gives up.
import type { FastifyInstance } from 'fastify';

export function registerConnectionDraining(app: FastifyInstance): void {
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });
}
