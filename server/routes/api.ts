// Every /api route, by audience. Each line registers one plugin; the plugins own their paths.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { registerDemoRootRoute } from './demo-root.ts';
import { registerDiscloserRoutes } from './discloser-routes.ts';
import { registerOfficerRoutes } from './officer-routes.ts';
import { registerStatisticsRoutes } from './statistics-routes.ts';

export function registerApiRoutes(app: FastifyInstance, context: AppContext): void {
  void app;
  void context;
  registerOfficerRoutes(app, context);
  registerDiscloserRoutes(app, context);
  registerDemoRootRoute(app, context);
  registerStatisticsRoutes(app, context);
}
