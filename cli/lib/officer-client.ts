// The few officer API calls the command line makes on an online machine (publishing a roster,
// exporting a case bundle, importing a sealed reply): log in with password (and TOTP code if the
// account has one), then call with the session cookie and the CSRF header the API requires.
// Nothing secret beyond the login password goes over the wire: no key file, no passphrase.
import { CliError, type CommandIo, CommandFailed } from '../command.ts';
import { optional, type Parsed } from './args.ts';
import { readSecret, secretOption } from './secrets.ts';

export const SERVER_OPTIONS = {
  server: { type: 'string' as const },
  username: { type: 'string' as const },
  totp: { type: 'string' as const },
  ...secretOption('password'),
};
export const SERVER_USAGE = [
  '  --server URL         the Candour site, e.g. https://disclosures.example.nz (or CANDOUR_SERVER)',
  '  --username NAME      your officer login (or CANDOUR_USERNAME); the password from --password-file,',
  '                       CANDOUR_PASSWORD or the terminal; --totp CODE (or CANDOUR_TOTP) if two-factor is on',
];

export interface OfficerSession {
  readonly server: string;
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response>;
  logout(): Promise<void>;
}

async function apiError(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (parsed.error?.message) return `${parsed.error.message} (${response.status} ${parsed.error.code ?? ''})`.replace(' )', ')');
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${response.status}`;
}

export async function failed(response: Response, what: string): Promise<never> {
  throw new CommandFailed(`${what}: the server answered ${await apiError(response)}`);
}

export async function signIn(parsed: Parsed, io: CommandIo): Promise<OfficerSession> {
  const serverText = optional(parsed, 'server') ?? io.env['CANDOUR_SERVER'];
  const username = optional(parsed, 'username') ?? io.env['CANDOUR_USERNAME'];
  if (!serverText) throw new CliError('--server URL is required');
  if (!username) throw new CliError('--username is required');
  let server: URL;
  try {
    server = new URL(serverText);
  } catch {
    throw new CliError(`--server "${serverText}" is not a URL`);
  }
  if (server.protocol !== 'https:' && !(server.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(server.hostname))) {
    throw new CliError('--server must be https:// (plain http only to this machine)');
  }
  const base = server.origin;
  const password = await readSecret(parsed, io, { name: 'password', prompt: `Password for ${username}` });
  const totp = optional(parsed, 'totp') ?? io.env['CANDOUR_TOTP'];
  const login = await call(`${base}/api/officer/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-candour-csrf': '1' },
    body: JSON.stringify({ username, password, ...(totp ? { totp } : {}) }),
  });
  if (login.status !== 200) await failed(login, 'sign-in failed');
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie) throw new CommandFailed('sign-in failed: the server set no session cookie');
  const request = (method: 'GET' | 'POST', path: string, body?: unknown) => call(`${base}${path}`, {
    method,
    headers: { cookie, ...(method === 'POST' ? { 'x-candour-csrf': '1' } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    server: base,
    request,
    logout: async () => {
      await request('POST', '/api/officer/logout').then((r) => r.body?.cancel(), () => undefined);
    },
  };
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'error' });
  } catch (error) {
    throw new CommandFailed(`cannot reach ${new URL(url).origin}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
}
