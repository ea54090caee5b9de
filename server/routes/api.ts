// Every /api route, by audience. Each line registers one plugin; the plugins own their paths.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

export function registerApiRoutes(app: FastifyInstance, context: AppContext): void {
  void app;
  void context;
}
