/**
 * Memory of the stream path on the libsodium backend. Each input size runs in a fresh Node process
 * (peak RSS is a per-process high-water mark, and the in-memory throughput runs would have raised
 * it already). The file never exists whole: a generator makes it 64 KiB at a time, each frame the
 * encryptor completes goes straight to a decryptor, and the released plaintext is only hashed
 * (and compared with the encryptor's hash at the end). Memory is sampled after every frame.
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constantTimeEqual, fileHasher, loadBackend, openKeyGrant, sealKeyGrant, StreamDecryptor, StreamEncryptor } from '../../crypto/index.ts';
import { collectGarbage, MiB } from './harness.ts';
import { newRecipient, PUSH_BYTES } from './implementations.ts';

export const MEMORY_CHILD_FLAG = '--memory-child';

interface MemoryFigures {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface MemoryResult {
  readonly mib: number;
  readonly seconds: number;
  readonly frames: number;
  readonly baseline: MemoryFigures;
  readonly peak: MemoryFigures;
  /** After the run and a full gc: what the stream path left behind (should be ≈ baseline). */
  readonly afterGc: MemoryFigures;
}

function snapshot(): MemoryFigures {
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

/** `total` bytes of file data, made a fresh 64 KiB piece at a time (as a file read stream gives it). */
function* fileData(total: number): Generator<Uint8Array> {
  const pool = randomFillSync(new Uint8Array(MiB + PUSH_BYTES));
  let step = 0;
  for (let made = 0; made < total; made += PUSH_BYTES) {
    const offset = (step++ * 4099) % MiB;
    yield pool.slice(offset, offset + Math.min(PUSH_BYTES, total - made));
  }
}

/** Runs in the child process. */
export async function runMemoryChild(mib: number): Promise<MemoryResult> {
  const p = await loadBackend({ prefer: 'libsodium' });
  const recipient = newRecipient(p);
  collectGarbage();
  const baseline = snapshot();
  const peak = { ...baseline };
  const sample = () => {
    const now = snapshot();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    peak.external = Math.max(peak.external, now.external);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
  };

  const start = process.hrtime.bigint();
  const encryptor = new StreamEncryptor(p);
  const grant = sealKeyGrant(p, encryptor.key, 'content', recipient.publicKey);
  const decryptor = new StreamDecryptor(p, openKeyGrant(p, grant, 'content', recipient), encryptor.header);
  const received = fileHasher(p);
  let frames = 0;
  const deliver = (frame: Uint8Array) => {
    for (const piece of decryptor.push(frame)) received.update(piece);
    frames++;
    sample();
  };
  for (const piece of fileData(mib * MiB)) {
    for (const frame of encryptor.push(piece)) deliver(frame);
  }
  for (const frame of encryptor.finish()) deliver(frame);
  decryptor.finish();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  if (decryptor.plaintextLength !== mib * MiB) throw new Error(`released ${decryptor.plaintextLength} bytes, expected ${mib * MiB}`);
  if (!constantTimeEqual(received.digest(), encryptor.plaintextHash)) throw new Error('decrypted data differs from the input');
  collectGarbage();
  const afterGc = snapshot();
  // Not process.resourceUsage().maxRSS: on Linux a spawned child inherits the parent's high-water
  // mark across fork/exec, so it would report the parent's size.
  return { mib, seconds, frames, baseline, peak, afterGc };
}

/** Runs in the parent: one child per size, with --expose-gc for the baseline. */
export function measureMemoryInChild(mib: number): MemoryResult {
  const script = fileURLToPath(new URL('./run.ts', import.meta.url));
  const root = resolve(dirname(script), '../..');
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, MEMORY_CHILD_FLAG, String(mib)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  if (child.status !== 0) {
    throw new Error(`memory run for ${mib} MiB failed (exit ${child.status ?? child.signal}):\n${child.stderr}${child.error ? String(child.error) : ''}`);
  }
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as MemoryResult;
}
