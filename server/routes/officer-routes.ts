// The officer API, under /api/officer: sign-in, cases, administration. One scope, so the CSRF,
// session and role checks (officer-session.ts) apply to these routes and to no others.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { OfficerAuthService } from '../services/officer-auth-service.ts';
import { registerOfficerAdminRoutes } from './officer-admin-routes.ts';
import { registerOfficerAuthRoutes } from './officer-auth-routes.ts';
import { registerOfficerCaseRoutes } from './officer-case-routes.ts';
import { registerOfficerGrantRoutes } from './officer-grant-routes.ts';
import { registerOfficerGuards } from './officer-session.ts';

export function registerOfficerRoutes(app: FastifyInstance, context: AppContext): void {
  void app.register(async (scope) => {
    // One per application: it holds the in-memory login limiter.
    const auth = new OfficerAuthService(context);
    registerOfficerGuards(scope, auth);
    registerOfficerAuthRoutes(scope, context, auth);
    registerOfficerCaseRoutes(scope, context);
    registerOfficerGrantRoutes(scope, context);
    registerOfficerAdminRoutes(scope, context);
  }, { prefix: '/api/officer' });
}
