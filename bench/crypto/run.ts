/**
 * Candour crypto benchmark: file encryption throughput of both backends against OpenPGP.js, and
 * the memory of the stream path. Not part of `npm test`.
 *
 *   node --expose-gc --import tsx bench/crypto/run.ts [--check]     (recommended: gc between phases)
 *   npm run bench:crypto [-- --check]
 *
 * --check: exit 1 when a target is missed (libsodium ≥ 1.5× openpgp at 64 MiB, both directions;
 * stream memory flat from 16 to 256 MiB). Without it the targets are printed but never fail.
 */
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import * as openpgp from 'openpgp';
import { DEFAULT_CHUNK_SIZE } from '../../crypto/index.ts';
import {
  collectGarbage,
  formatDuration,
  formatMiB,
  formatRate,
  formatSize,
  KiB,
  type Measurement,
  measure,
  MiB,
  type Plan,
  table,
} from './harness.ts';
import { candourImplementation, type Implementation, openpgpImplementation, PUSH_BYTES } from './implementations.ts';
import { MEMORY_CHILD_FLAG, measureMemoryInChild, type MemoryResult, runMemoryChild } from './memory.ts';

const TARGET_RATIO = 1.5;
const TARGET_SIZE = 64 * MiB;
const MEMORY_SIZES_MIB = [16, 64, 256] as const;
const MEMORY_GROWTH_LIMIT = 32 * MiB;

const SIZES = [1 * KiB, 1 * MiB, 64 * MiB] as const;

function planFor(bytes: number, implementation: string): Plan {
  if (bytes <= 64 * KiB) return { warmupRuns: 20, warmupMs: 300, samples: 7, minBatchMs: 100 };
  if (bytes <= 4 * MiB) return { warmupRuns: 3, warmupMs: 300, samples: 7, minBatchMs: 150 };
  // Large inputs: one operation per sample. The pure-JavaScript backend runs once (it is slow,
  // and the 1 MiB runs have already warmed up the same code).
  if (implementation === 'noble') return { warmupRuns: 0, warmupMs: 0, samples: 1, minBatchMs: 0 };
  return { warmupRuns: 1, warmupMs: 0, samples: 7, minBatchMs: 0 };
}

const log = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const childAt = args.indexOf(MEMORY_CHILD_FLAG);
  if (childAt >= 0) {
    const result = await runMemoryChild(Number(args[childAt + 1]));
    log(JSON.stringify(result));
    return;
  }
  const check = args.includes('--check');
  const started = process.hrtime.bigint();

  const libsodium = await candourImplementation('libsodium');
  const noble = await candourImplementation('noble');
  const pgp = await openpgpImplementation('openpgp');
  const pgpAead = await openpgpImplementation('openpgp-aead', { aeadProtect: true });
  const implementations: Implementation[] = [libsodium, noble, pgp, pgpAead];

  const versions = readDependencyVersions();
  const cpu = os.cpus();
  log('Candour crypto benchmark');
  log(`  Node ${process.version} ${process.platform}/${process.arch}, ${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, gc between phases: ${globalThis.gc ? 'yes' : 'no (run with node --expose-gc --import tsx)'}`);
  log(`  libsodium   Candour, libsodium-wrappers-sumo ${versions['libsodium-wrappers-sumo']} (WebAssembly)`);
  log(`  noble       Candour, @noble/ciphers ${versions['@noble/ciphers']} + @noble/curves ${versions['@noble/curves']} + @noble/hashes ${versions['@noble/hashes']} (pure JavaScript)`);
  log(`              fresh file key; STREAM XChaCha20-Poly1305 in ${formatSize(DEFAULT_CHUNK_SIZE)} chunks (input pushed ${formatSize(PUSH_BYTES)} at a time),`);
  log('              Padmé padding, keyed BLAKE2b-256 of the plaintext; key sealed to 1 X25519 key (crypto_box_seal).');
  log('              decrypt = open the grant + authenticate and release every chunk.');
  log(`  openpgp     ${openpgp.config.versionString}, default config, type 'curve25519', binary: ${await pgp.describe()}`);
  log(`  openpgp-aead  the same with config.aeadProtect = true (informational, not a target): ${await pgpAead.describe()}`);
  log();

  const input = randomFillSync(new Uint8Array(Math.max(...SIZES)));
  const results = new Map<string, Measurement>();
  const key = (name: string, bytes: number) => `${name}@${bytes}`;
  for (const bytes of SIZES) {
    const data = input.subarray(0, bytes);
    for (const implementation of implementations) {
      const result = await measure(implementation, data, planFor(bytes, implementation.name));
      results.set(key(implementation.name, bytes), result);
      progress(
        `${implementation.name} ${formatSize(bytes)}: encrypt ${formatRate(result.encrypt.median)} MiB/s, decrypt ${formatRate(result.decrypt.median)} MiB/s`,
      );
    }
  }
  collectGarbage();

  const get = (name: string, bytes: number): Measurement => {
    const result = results.get(key(name, bytes));
    if (!result) throw new Error(`no result for ${name} at ${bytes}`);
    return result;
  };
  const ratio = (name: string, base: string, bytes: number, op: 'encrypt' | 'decrypt') => get(name, bytes)[op].median / get(base, bytes)[op].median;
  const formatRatio = (value: number) => `${value.toFixed(2)}×`;

  const rows: string[][] = [];
  for (const bytes of SIZES) {
    for (const op of ['encrypt', 'decrypt'] as const) {
      rows.push([
        formatSize(bytes),
        op,
        ...implementations.map((implementation) => formatRate(get(implementation.name, bytes)[op].median)),
        formatRatio(ratio('libsodium', 'openpgp', bytes, op)),
        formatRatio(ratio('noble', 'openpgp', bytes, op)),
        formatRatio(ratio('libsodium', 'openpgp-aead', bytes, op)),
      ]);
    }
  }
  log('Throughput, MiB/s of plaintext (median of the samples; higher is better). Ratios are Candour / openpgp.');
  log(
    table(
      ['size', 'op', 'libsodium', 'noble', 'openpgp', 'openpgp-aead', 'libsodium/openpgp', 'noble/openpgp', 'libsodium/openpgp-aead'],
      rows,
      2,
    ),
  );
  log();

  const detailRows: string[][] = [];
  for (const bytes of SIZES) {
    for (const implementation of implementations) {
      const result = get(implementation.name, bytes);
      const samples = `${result.encrypt.samples.length} × ${result.iterations}`;
      const range = (op: 'encrypt' | 'decrypt') =>
        `${formatRate(Math.min(...result[op].samples))}–${formatRate(Math.max(...result[op].samples))}`;
      detailRows.push([
        formatSize(bytes),
        implementation.name,
        samples,
        formatDuration(result.encrypt.secondsPerOp),
        range('encrypt'),
        formatDuration(result.decrypt.secondsPerOp),
        range('decrypt'),
        `+${result.ciphertextBytes - bytes} B`,
      ]);
    }
  }
  log('Details: samples × operations per sample; median time per operation; min–max MiB/s over the samples; ciphertext overhead.');
  log(table(['size', 'implementation', 'samples', 'encrypt/op', 'encrypt range', 'decrypt/op', 'decrypt range', 'overhead'], detailRows, 2));
  log();

  progress(`stream memory: ${MEMORY_SIZES_MIB.join(', ')} MiB, one child process each`);
  const memory: MemoryResult[] = MEMORY_SIZES_MIB.map((mib) => measureMemoryInChild(mib));
  log('Stream path memory, libsodium backend: generator → StreamEncryptor → StreamDecryptor → hash, one fresh process per size.');
  log('Growth is the peak sampled after each frame minus the baseline taken after start-up and gc; "left after gc" is');
  log('heap + arrayBuffers after the run and a full gc, minus the baseline (what the stream path keeps alive).');
  log(
    table(
      ['input', 'frames', 'MiB/s (enc+dec)', 'baseline RSS', 'peak RSS', 'RSS growth', 'heap growth', 'arrayBuffers growth', 'left after gc'],
      memory.map((m) => [
        `${m.mib} MiB`,
        String(m.frames),
        formatRate(m.mib / m.seconds),
        formatMiB(m.baseline.rss),
        formatMiB(m.peak.rss),
        formatMiB(m.peak.rss - m.baseline.rss),
        formatMiB(m.peak.heapUsed - m.baseline.heapUsed),
        formatMiB(m.peak.arrayBuffers - m.baseline.arrayBuffers),
        formatMiB(m.afterGc.heapUsed + m.afterGc.arrayBuffers - m.baseline.heapUsed - m.baseline.arrayBuffers),
      ]),
    ),
  );
  log();

  const smallest = memory[0]!;
  const largest = memory.at(-1)!;
  const rssDelta = largest.peak.rss - largest.baseline.rss - (smallest.peak.rss - smallest.baseline.rss);
  const heapDelta = largest.peak.heapUsed - largest.baseline.heapUsed - (smallest.peak.heapUsed - smallest.baseline.heapUsed);
  const targets: { name: string; value: string; pass: boolean }[] = [];
  for (const op of ['encrypt', 'decrypt'] as const) {
    const value = ratio('libsodium', 'openpgp', TARGET_SIZE, op);
    targets.push({
      name: `libsodium ${op} ≥ ${TARGET_RATIO}× openpgp at ${formatSize(TARGET_SIZE)}`,
      value: formatRatio(value),
      pass: value >= TARGET_RATIO,
    });
  }
  for (const [what, delta] of [
    ['RSS', rssDelta],
    ['heap', heapDelta],
  ] as const) {
    targets.push({
      name: `stream ${what} growth, ${largest.mib} MiB minus ${smallest.mib} MiB < ${formatMiB(MEMORY_GROWTH_LIMIT)}`,
      value: formatMiB(delta),
      pass: delta < MEMORY_GROWTH_LIMIT,
    });
  }
  log('Targets');
  log(table(['target', 'measured', 'result'], targets.map((t) => [t.name, t.value, t.pass ? 'PASS' : 'MISS']), 1));
  const missed = targets.filter((t) => !t.pass).length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  log();
  if (missed === 0) log(`All targets met. (${seconds.toFixed(1)} s)`);
  else if (check) log(`${missed} target(s) missed: exit 1 (--check). (${seconds.toFixed(1)} s)`);
  else log(`${missed} target(s) missed (not enforced; pass --check to fail on it). (${seconds.toFixed(1)} s)`);
  if (missed > 0 && check) process.exitCode = 1;
}

function readDependencyVersions(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  return { ...manifest.devDependencies, ...manifest.dependencies };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
