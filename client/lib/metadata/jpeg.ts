// Removes hidden information from a JPEG without touching the picture: the file is walked segment
// by segment (ITU T.81 B.1), the image data copied byte for byte, and these segments dropped:
// APP1..APP15 (EXIF, XMP, ICC profile, MPF extra pictures, Photoshop/IPTC, other programs' data)
// and COM (comments), plus a JFIF thumbnail and anything after the end-of-image marker. Two
// exceptions keep the picture correct: an Adobe APP14 segment (12 bytes of colour-transform
// flags, needed to decode CMYK pictures, nothing personal) stays, and when EXIF recorded a
// rotation an EXIF segment with only that rotation takes its place.
import { orientationOnlyTiff, readExifFacts } from './exif.ts';
import { MalformedImageError, RemovedList, type RemovedKind, type StripResult } from './report.ts';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP13 = 0xed;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

const ascii = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
const EXIF_ID = ascii('Exif\0\0');
const XMP_ID = ascii('http://ns.adobe.com/xap/1.0/\0');
const XMP_EXT_ID = ascii('http://ns.adobe.com/xmp/extension/\0');
const ICC_ID = ascii('ICC_PROFILE\0');
const MPF_ID = ascii('MPF\0');
const PHOTOSHOP_ID = ascii('Photoshop 3.0\0');
const ADOBE_ID = ascii('Adobe');
const JFIF_ID = ascii('JFIF\0');
const JFXX_ID = ascii('JFXX\0');

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === SOI && bytes[2] === 0xff;
}

function segment(marker: number, payload: Uint8Array): Uint8Array {
  if (payload.length + 2 > 0xffff) throw new MalformedImageError('segment too long');
  const out = new Uint8Array(4 + payload.length);
  out[0] = 0xff;
  out[1] = marker;
  out[2] = (payload.length + 2) >> 8;
  out[3] = (payload.length + 2) & 0xff;
  out.set(payload, 4);
  return out;
}

function classifyApp(marker: number, payload: Uint8Array): RemovedKind {
  if (marker === APP1 && startsWith(payload, EXIF_ID)) return 'exif';
  if (marker === APP1 && (startsWith(payload, XMP_ID) || startsWith(payload, XMP_EXT_ID))) return 'xmp';
  if (marker === APP2 && startsWith(payload, ICC_ID)) return 'iccProfile';
  if (marker === APP2 && startsWith(payload, MPF_ID)) return 'extraImages';
  if (marker === APP13 && startsWith(payload, PHOTOSHOP_ID)) return 'iptc';
  return 'appData';
}

function isOrientationOnly(payload: Uint8Array): boolean {
  const { orientation } = readExifFacts(payload.subarray(EXIF_ID.length));
  if (orientation === undefined) return false;
  const expected = orientationOnlyTiff(orientation);
  return payload.length === EXIF_ID.length + expected.length && expected.every((b, i) => payload[EXIF_ID.length + i] === b);
}

/** Throws MalformedImageError for anything that is not a well-formed JPEG. */
export function stripJpeg(bytes: Uint8Array): StripResult {
  if (!isJpeg(bytes)) throw new MalformedImageError('not a JPEG file');
  const out: Uint8Array[] = [bytes.subarray(0, 2)];
  const removed = new RemovedList();
  let hadLocation = false;
  let orientation: 'kept' | 'may-rotate' | undefined;
  let pos = 2;
  for (;;) {
    if (pos >= bytes.length) throw new MalformedImageError('the file ends before its end-of-image marker');
    if (bytes[pos] !== 0xff) throw new MalformedImageError(`expected a marker at byte ${pos}`);
    while (pos < bytes.length && bytes[pos] === 0xff) pos++; // fill bytes
    if (pos >= bytes.length) throw new MalformedImageError('the file ends inside a marker');
    const marker = bytes[pos]!;
    pos++;
    if (marker === EOI) {
      out.push(Uint8Array.of(0xff, EOI));
      if (pos < bytes.length) removed.add('trailer');
      break;
    }
    if (marker === SOI || marker === 0x00) throw new MalformedImageError(`unexpected marker 0x${marker.toString(16)} at byte ${pos - 1}`);
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      out.push(Uint8Array.of(0xff, marker));
      continue;
    }
    if (pos + 2 > bytes.length) throw new MalformedImageError('the file ends inside a segment length');
    const length = (bytes[pos]! << 8) | bytes[pos + 1]!;
    if (length < 2 || pos + length > bytes.length) throw new MalformedImageError(`a segment at byte ${pos - 2} runs past the end of the file`);
    const payload = bytes.subarray(pos + 2, pos + length);
    const whole = bytes.subarray(pos - 2, pos + length);
    pos += length;

    if ((marker >= APP1 && marker <= APP15) || marker === COM) {
      if (marker === APP14 && startsWith(payload, ADOBE_ID) && payload.length === 12) {
        out.push(whole);
        continue;
      }
      const kind = marker === COM ? 'comment' : classifyApp(marker, payload);
      if (kind === 'exif' && isOrientationOnly(payload) && orientation === undefined) {
        // Already cleaned (by Candour or alike): nothing but the rotation.
        out.push(whole);
        orientation = 'kept';
        continue;
      }
      removed.add(kind);
      if (kind === 'exif') {
        const facts = readExifFacts(payload.subarray(EXIF_ID.length));
        hadLocation ||= facts.hasLocation;
        if (facts.orientation !== undefined && facts.orientation !== 1 && orientation === undefined) {
          out.push(segment(APP1, new Uint8Array([...EXIF_ID, ...orientationOnlyTiff(facts.orientation)])));
          orientation = 'kept';
        }
      }
      continue;
    }
    if (marker === APP0) {
      if (startsWith(payload, JFIF_ID) && payload.length >= 14) {
        // JFIF: version, units, density, then an optional thumbnail (width, height, pixels).
        if (payload[12] !== 0 || payload[13] !== 0 || payload.length > 14) {
          removed.add('thumbnail');
          const plain = payload.slice(0, 14);
          plain[12] = 0;
          plain[13] = 0;
          out.push(segment(APP0, plain));
        } else {
          out.push(whole);
        }
      } else {
        removed.add(startsWith(payload, JFXX_ID) ? 'thumbnail' : 'appData');
      }
      continue;
    }
    out.push(whole);
    if (marker === SOS) {
      // Entropy-coded data: copied as is up to the next marker that is not a stuffed 0xFF00 or a
      // restart marker (progressive pictures have several scans, with segments between them).
      const start = pos;
      for (;;) {
        if (pos + 1 >= bytes.length) throw new MalformedImageError('the picture data ends before its end-of-image marker');
        if (bytes[pos] === 0xff) {
          const next = bytes[pos + 1]!;
          if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
        }
        pos++;
      }
      out.push(bytes.subarray(start, pos));
    }
  }
  if (removed.size === 0) return { bytes, report: { format: 'jpeg', outcome: 'nothing-found', removed: [], hadLocation: false, orientation: undefined } };
  const total = out.reduce((n, part) => n + part.length, 0);
  const cleaned = new Uint8Array(total);
  let at = 0;
  for (const part of out) {
    cleaned.set(part, at);
    at += part.length;
  }
  return { bytes: cleaned, report: { format: 'jpeg', outcome: 'cleaned', removed: removed.list(), hadLocation, orientation } };
}
