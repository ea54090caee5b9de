// The cleaner's one entry point, loaded with import() only when an image is attached (so the
// report pages' first JavaScript stays small). It recognises the format by its first bytes, never
// by the name, and never throws: a file it cannot read safely comes back unchanged, marked
// `malformed`, so the page can warn instead of sending a half-cleaned or broken file.
import { isJpeg, stripJpeg } from './jpeg.ts';
import { isPng, stripPng } from './png.ts';
import type { ImageFormat, StripResult } from './report.ts';
import { isWebp, stripWebp } from './webp.ts';

export function imageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (isJpeg(bytes)) return 'jpeg';
  if (isPng(bytes)) return 'png';
  if (isWebp(bytes)) return 'webp';
  return undefined;
}

/** Undefined when the bytes are not a JPEG, PNG or WebP. */
export function stripMetadata(bytes: Uint8Array): StripResult | undefined {
  const format = imageFormat(bytes);
  if (format === undefined) return undefined;
  try {
    return format === 'jpeg' ? stripJpeg(bytes) : format === 'png' ? stripPng(bytes) : stripWebp(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { bytes, report: { format, outcome: 'malformed', removed: [], hadLocation: false, orientation: undefined, detail } };
  }
}
