// Removes hidden information from a WebP (a RIFF container): the EXIF and "XMP " chunks, with
// their flags cleared in the VP8X header so readers do not look for them, and anything after the
// RIFF data. Picture chunks (VP8, VP8L, ALPH, ANIM/ANMF, ICCP) are copied byte for byte.
import { readExifFacts } from './exif.ts';
import { MalformedImageError, RemovedList, type StripResult } from './report.ts';

const EXIF_FLAG = 0x08;
const XMP_FLAG = 0x04;

const fourcc = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

export function isWebp(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourcc(bytes, 0) === 'RIFF' && fourcc(bytes, 8) === 'WEBP';
}

/** Throws MalformedImageError for anything that is not a well-formed WebP. */
export function stripWebp(bytes: Uint8Array): StripResult {
  if (!isWebp(bytes)) throw new MalformedImageError('not a WebP file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const riffSize = view.getUint32(4, true);
  const end = 8 + riffSize;
  if (riffSize < 4 || end > bytes.length || riffSize % 2 !== 0) throw new MalformedImageError('the RIFF size does not match the file');
  const removed = new RemovedList();
  const kept: Uint8Array[] = [];
  let vp8x: Uint8Array | undefined;
  let hadLocation = false;
  let orientation: 'may-rotate' | undefined;
  let pos = 12;
  if (pos >= end) throw new MalformedImageError('the file has no picture');
  while (pos < end) {
    if (pos + 8 > end) throw new MalformedImageError(`a chunk header at byte ${pos} runs past the RIFF data`);
    const type = fourcc(bytes, pos);
    const size = view.getUint32(pos + 4, true);
    const padded = size + (size % 2);
    if (pos + 8 + padded > end) throw new MalformedImageError(`the ${type} chunk at byte ${pos} runs past the RIFF data`);
    const whole = bytes.slice(pos, pos + 8 + padded);
    const data = bytes.subarray(pos + 8, pos + 8 + size);
    pos += 8 + padded;
    if (type === 'EXIF') {
      removed.add('exif');
      // Some writers keep JPEG's "Exif\0\0" before the TIFF block.
      const tiff = data.length > 6 && data[0] === 0x45 && data[1] === 0x78 ? data.subarray(6) : data;
      const facts = readExifFacts(tiff);
      hadLocation ||= facts.hasLocation;
      if (facts.orientation !== undefined && facts.orientation !== 1) orientation = 'may-rotate';
      continue;
    }
    if (type === 'XMP ') {
      removed.add('xmp');
      continue;
    }
    if (type === 'VP8X') {
      if (size < 10 || vp8x !== undefined || kept.length > 0) throw new MalformedImageError('the VP8X chunk is misplaced or too short');
      vp8x = whole;
    }
    kept.push(whole);
  }
  if (end < bytes.length) removed.add('trailer');
  if (removed.size === 0) return { bytes, report: { format: 'webp', outcome: 'nothing-found', removed: [], hadLocation: false, orientation: undefined } };
  if (vp8x) vp8x[8] = vp8x[8]! & ~(EXIF_FLAG | XMP_FLAG);
  const body = kept.reduce((n, part) => n + part.length, 0);
  const cleaned = new Uint8Array(12 + body);
  cleaned.set(bytes.subarray(0, 12));
  new DataView(cleaned.buffer).setUint32(4, 4 + body, true);
  let at = 12;
  for (const part of kept) {
    cleaned.set(part, at);
    at += part.length;
  }
  return { bytes: cleaned, report: { format: 'webp', outcome: 'cleaned', removed: removed.list(), hadLocation, orientation } };
}
