// Removes hidden information from a PNG: the chunks tEXt, iTXt and zTXt (text notes such as
// Author, Software, Comment, and XMP, which is stored in iTXt), eXIf (EXIF) and tIME (last
// modified), and anything after IEND. Every other chunk is copied byte for byte, so the picture
// is untouched and no checksum needs recomputing. Each chunk's CRC is checked first: a damaged
// file is left alone rather than half-read.
import { readExifFacts } from './exif.ts';
import { MalformedImageError, RemovedList, type StripResult } from './report.ts';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_CHUNK = 0x7fffffff;

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309), as PNG computes it over a chunk's type and data. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The keyword of a tEXt/iTXt/zTXt chunk (Latin-1, 1..79 bytes before a zero), or ''. */
function keyword(data: Uint8Array): string {
  const end = data.indexOf(0);
  if (end < 1 || end > 79) return '';
  let text = '';
  for (const byte of data.subarray(0, end)) text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '?';
  return text;
}

/** Throws MalformedImageError for anything that is not a well-formed PNG. */
export function stripPng(bytes: Uint8Array): StripResult {
  if (!isPng(bytes)) throw new MalformedImageError('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [bytes.subarray(0, 8)];
  const removed = new RemovedList();
  let hadLocation = false;
  let orientation: 'may-rotate' | undefined;
  let pos = 8;
  let first = true;
  for (;;) {
    if (pos + 12 > bytes.length) throw new MalformedImageError('the file ends before its IEND chunk');
    const length = view.getUint32(pos, false);
    if (length > MAX_CHUNK || pos + 12 + length > bytes.length) throw new MalformedImageError(`a chunk at byte ${pos} runs past the end of the file`);
    const typeAndData = bytes.subarray(pos + 4, pos + 8 + length);
    const type = String.fromCharCode(...typeAndData.subarray(0, 4));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new MalformedImageError(`a chunk at byte ${pos} has no valid type`);
    if (crc32(typeAndData) !== view.getUint32(pos + 8 + length, false)) throw new MalformedImageError(`the ${type} chunk at byte ${pos} is damaged (checksum)`);
    if (first && type !== 'IHDR') throw new MalformedImageError('the first chunk is not IHDR');
    first = false;
    const data = typeAndData.subarray(4);
    const whole = bytes.subarray(pos, pos + 12 + length);
    pos += 12 + length;
    if (type === 'tEXt' || type === 'iTXt' || type === 'zTXt') {
      const name = keyword(data);
      if (name === 'XML:com.adobe.xmp') removed.add('xmp');
      else removed.add('text', name);
    } else if (type === 'eXIf') {
      removed.add('exif');
      const facts = readExifFacts(data);
      hadLocation ||= facts.hasLocation;
      if (facts.orientation !== undefined && facts.orientation !== 1) orientation = 'may-rotate';
    } else if (type === 'tIME') {
      removed.add('time');
    } else {
      out.push(whole);
    }
    if (type === 'IEND') {
      if (pos < bytes.length) removed.add('trailer');
      break;
    }
  }
  if (removed.size === 0) return { bytes, report: { format: 'png', outcome: 'nothing-found', removed: [], hadLocation: false, orientation: undefined } };
  const cleaned = new Uint8Array(out.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of out) {
    cleaned.set(part, at);
    at += part.length;
  }
  return { bytes: cleaned, report: { format: 'png', outcome: 'cleaned', removed: removed.list(), hadLocation, orientation } };
}
