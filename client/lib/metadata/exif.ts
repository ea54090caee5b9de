// Just enough of an EXIF block (a TIFF structure, as in JPEG APP1, PNG eXIf and WebP EXIF) to
// learn the two facts the cleaners need: the picture's orientation, and whether a GPS position is
// recorded. Every read is bounds-checked; a block that does not parse yields "unknown".

export interface ExifFacts {
  /** 1..8 as EXIF defines it, or undefined when absent or unreadable. */
  readonly orientation: number | undefined;
  readonly hasLocation: boolean;
}

const ORIENTATION_TAG = 0x0112;
const GPS_IFD_TAG = 0x8825;
const SHORT = 3;
const MAX_ENTRIES = 1024;

/** Reads IFD0 of a TIFF block (starting with "II*\0" or "MM\0*"). Never throws. */
export function readExifFacts(tiff: Uint8Array): ExifFacts {
  const unknown: ExifFacts = { orientation: undefined, hasLocation: false };
  if (tiff.length < 8) return unknown;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return unknown;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (view.getUint16(2, little) !== 42) return unknown;
  const ifd = view.getUint32(4, little);
  if (ifd < 8 || ifd + 2 > tiff.length) return unknown;
  const count = view.getUint16(ifd, little);
  if (count > MAX_ENTRIES || ifd + 2 + count * 12 > tiff.length) return unknown;
  let orientation: number | undefined;
  let hasLocation = false;
  for (let i = 0; i < count; i++) {
    const at = ifd + 2 + i * 12;
    const tag = view.getUint16(at, little);
    if (tag === GPS_IFD_TAG) hasLocation = true;
    if (tag === ORIENTATION_TAG && view.getUint16(at + 2, little) === SHORT && view.getUint32(at + 4, little) === 1) {
      const value = view.getUint16(at + 8, little);
      if (value >= 1 && value <= 8) orientation = value;
    }
  }
  return { orientation, hasLocation };
}

/**
 * A TIFF block holding nothing but the orientation (big-endian, IFD0 with one entry), so a
 * cleaned photo still shows upright without keeping anything else of the original EXIF.
 */
export function orientationOnlyTiff(orientation: number): Uint8Array {
  const out = new Uint8Array(26);
  const view = new DataView(out.buffer);
  out.set([0x4d, 0x4d, 0x00, 0x2a]);
  view.setUint32(4, 8, false);
  view.setUint16(8, 1, false);
  view.setUint16(10, ORIENTATION_TAG, false);
  view.setUint16(12, SHORT, false);
  view.setUint32(14, 1, false);
  view.setUint16(18, orientation, false);
  view.setUint32(22, 0, false);
  return out;
}
