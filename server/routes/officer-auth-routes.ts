// Officer sign-in: login, logout, who am I, and TOTP enrolment. Paths are under /api/officer.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { strictObject } from '../http/strict-schema.ts';
import { type OfficerAuthService, officerView } from '../services/officer-auth-service.ts';
import { plainText } from './officer-input.ts';
import { clearedSessionCookie, officerOf, setSessionCookie } from './officer-session.ts';

interface LoginBody {
  username: string;
  password: string;
  totp?: string;
  recoveryCode?: string;
}

export function registerOfficerAuthRoutes(scope: FastifyInstance, context: AppContext, auth: OfficerAuthService): void {
  const mode = context.config.mode;

  scope.post<{ Body: LoginBody }>('/login', {
    config: { officerAccess: 'public' },
    schema: {
      body: strictObject({
        username: plainText(200),
        password: { type: 'string', minLength: 1, maxLength: 1024 },
        totp: { type: 'string', maxLength: 16 },
        recoveryCode: { type: 'string', maxLength: 32 },
      }, ['username', 'password']),
    },
  }, async (request, reply) => {
    const { token, session } = await auth.login(request.body);
    setSessionCookie(reply, token, mode);
    return { officer: officerView(session) };
  });

  scope.post('/logout', async (request, reply) => {
    await auth.logout(officerOf(request));
    reply.header('set-cookie', clearedSessionCookie(mode));
    return reply.status(204).send();
  });

  scope.get('/me', async (request) => ({ officer: officerView(officerOf(request)) }));

  scope.post('/totp/enrol', async (request) => auth.enrolTotp(officerOf(request)));

  scope.post<{ Body: { code: string } }>('/totp/confirm', {
    schema: { body: strictObject({ code: { type: 'string', maxLength: 16 } }, ['code']) },
  }, async (request) => auth.confirmTotp(officerOf(request), request.body.code));
}
