// `npm start`'s entry point in a child process on 127.0.0.1 and a port the OS chooses, for tests
// that need the real process: start-up, shutdown, crash and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;

export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exitCode: Promise<number | null>;
}

const children: ChildProcess[] = [];

export function start(env: Record<string, string>): Started {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) =>
    !name.startsWith('CANDOUR_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/start.ts'], {
    cwd: REPO_ROOT,
    env: { ...inherited, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exitCode = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exitCode };
}

export async function waitForUrl(started: Started): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = /Candour is running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(started.stderr());
    if (match?.[1] !== undefined) return match[1];
    if (started.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${started.stderr()}\n${started.stdout()}`);
}


/** Kills every child still running (afterEach). */
export function stopAll(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
