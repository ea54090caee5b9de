/**
 * Timing: warm-up runs, then samples. A sample encrypts the input `iterations` times back to back
 * (timed), then decrypts each result (timed separately), so one figure is one direction only.
 * Small inputs are batched so that a sample lasts at least `minBatchMs`; the reported figure is
 * the median sample. All clocks are process.hrtime.bigint().
 */
import type { Implementation, Sealed } from './implementations.ts';

export const KiB = 1024;
export const MiB = 1024 * 1024;

export interface Plan {
  /** Untimed-for-the-result runs before the samples; at least 1 when minBatchMs > 0 (to size the batch). */
  readonly warmupRuns: number;
  /** Keep warming up until this much time has passed (and warmupRuns are done). */
  readonly warmupMs: number;
  readonly samples: number;
  /** Each sample repeats the operation until it lasts at least this long (0: one operation per sample). */
  readonly minBatchMs: number;
}

export interface Direction {
  /** Throughput of each sample, MiB/s. */
  readonly samples: number[];
  readonly median: number;
  /** Median seconds per operation. */
  readonly secondsPerOp: number;
}

export interface Measurement {
  readonly implementation: string;
  readonly bytes: number;
  readonly iterations: number;
  readonly ciphertextBytes: number;
  readonly encrypt: Direction;
  readonly decrypt: Direction;
}

export function collectGarbage(): void {
  if (globalThis.gc) {
    globalThis.gc();
    globalThis.gc();
  }
}

function elapsedNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

export async function measure(implementation: Implementation, data: Uint8Array, plan: Plan): Promise<Measurement> {
  collectGarbage();
  let encryptNs = Infinity;
  let decryptNs = Infinity;
  const warmupStart = process.hrtime.bigint();
  for (let run = 0; run < plan.warmupRuns || elapsedNs(warmupStart) < plan.warmupMs * 1e6; run++) {
    let start = process.hrtime.bigint();
    const sealed = await implementation.encrypt(data);
    encryptNs = Math.min(encryptNs, elapsedNs(start));
    start = process.hrtime.bigint();
    const plaintext = await sealed.decrypt();
    decryptNs = Math.min(decryptNs, elapsedNs(start));
    if (run === 0) assertSame(implementation.name, plaintext, data);
  }
  const iterations =
    plan.minBatchMs > 0 && Number.isFinite(encryptNs) ? Math.max(1, Math.ceil((plan.minBatchMs * 1e6) / Math.min(encryptNs, decryptNs))) : 1;

  const encrypt: number[] = [];
  const decrypt: number[] = [];
  let ciphertextBytes = 0;
  const sealed: (Sealed | undefined)[] = [];
  for (let sample = 0; sample < plan.samples; sample++) {
    collectGarbage();
    let start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) sealed[i] = await implementation.encrypt(data);
    encrypt.push(throughput(data.length * iterations, elapsedNs(start)));
    start = process.hrtime.bigint();
    let first: Uint8Array[] = [];
    for (let i = 0; i < iterations; i++) {
      const plaintext = await sealed[i]!.decrypt();
      if (i === 0) first = plaintext;
    }
    decrypt.push(throughput(data.length * iterations, elapsedNs(start)));
    if (sample === 0) {
      assertSame(implementation.name, first, data);
      ciphertextBytes = sealed[0]!.ciphertextBytes;
    }
    sealed.fill(undefined); // let the ciphertexts go before the next sample
  }
  return {
    implementation: implementation.name,
    bytes: data.length,
    iterations,
    ciphertextBytes,
    encrypt: direction(encrypt, data.length),
    decrypt: direction(decrypt, data.length),
  };
}

function throughput(bytes: number, ns: number): number {
  return bytes / MiB / (ns / 1e9);
}

function direction(samples: number[], bytes: number): Direction {
  const median = medianOf(samples);
  return { samples, median, secondsPerOp: bytes / MiB / median };
}

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The decrypted pieces, in order, must be exactly the input. */
export function assertSame(name: string, pieces: readonly Uint8Array[], expected: Uint8Array): void {
  let offset = 0;
  for (const piece of pieces) {
    const want = expected.subarray(offset, offset + piece.length);
    const same = want.length === piece.length && Buffer.from(piece.buffer, piece.byteOffset, piece.length).equals(want);
    if (!same) {
      throw new Error(`${name}: decrypted data differs from the input near byte ${offset}`);
    }
    offset += piece.length;
  }
  if (offset !== expected.length) throw new Error(`${name}: decrypted ${offset} bytes, expected ${expected.length}`);
}

// ---- formatting ----

export function formatSize(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} B`;
}

export function formatRate(mibPerSecond: number): string {
  if (!Number.isFinite(mibPerSecond)) return '—';
  if (mibPerSecond >= 100) return mibPerSecond.toFixed(0);
  if (mibPerSecond >= 10) return mibPerSecond.toFixed(1);
  return mibPerSecond.toFixed(2);
}

export function formatDuration(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(2)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(2)} ms`;
  return `${(seconds * 1e6).toFixed(1)} µs`;
}

export function formatMiB(bytes: number): string {
  const value = bytes / MiB;
  return `${(Math.abs(value) < 0.05 ? 0 : value).toFixed(1)} MiB`;
}

/** Left column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column < leftColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
