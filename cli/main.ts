// `candour <command> [arguments]`: the process entry (candour.mjs imports it). See run.ts.
import { runCandour } from './run.ts';

process.exitCode = await runCandour(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
