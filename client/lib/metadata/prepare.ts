// What happens to a file before it is encrypted: a JPEG, PNG or WebP is cleaned of hidden
// information (strip.ts, run in the crypto worker so a large picture never freezes the page), and any other kind that is known to carry it gets a
// note saying so, since Candour cannot clean it. The format is judged from the first bytes (and,
// for zip-based office files, the name), never from the name alone.
import { runCrypto } from '../worker/crypto-runner.ts';
import type { ImageFormat, StripReport } from './report.ts';

/** Images larger than this are sent as they are, with a warning (cleaning reads the whole file). */
export const MAX_CLEANABLE_BYTES = 64 * 1024 * 1024;

export type FileAdvice = 'pdf' | 'office' | 'image' | 'media';

export type FileNote =
  | { readonly kind: 'image'; readonly report: StripReport }
  | { readonly kind: 'tooLarge' }
  | { readonly kind: 'advice'; readonly advice: FileAdvice };

export interface PreparedFile {
  readonly file: File;
  readonly note: FileNote | undefined;
}

const at = (bytes: Uint8Array, offset: number, text: string) => [...text].every((ch, i) => bytes[offset + i] === ch.charCodeAt(0));

/** The cleanable image format, judged from the first bytes (the same tests as strip.ts). */
export function cleanableImage(head: Uint8Array): ImageFormat | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head[0] === 0x89 && at(head, 1, 'PNG\r\n\x1a\n')) return 'png';
  if (at(head, 0, 'RIFF') && at(head, 8, 'WEBP')) return 'webp';
  return undefined;
}

/** Advice for formats that carry hidden information Candour cannot remove. */
export function adviceFor(head: Uint8Array, name: string, type: string): FileAdvice | undefined {
  const lower = name.toLowerCase();
  if (at(head, 0, '%PDF') || type === 'application/pdf') return 'pdf';
  const officeName = /\.(docx?|xlsx?|pptx?|odt|ods|odp|rtf|pages|numbers|key)$/.test(lower);
  const ole = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (ole || (at(head, 0, 'PK\x03\x04') && officeName) || at(head, 0, '{\\rtf') || type.includes('officedocument') || type.includes('opendocument') || type === 'application/msword') return 'office';
  const ftyp = at(head, 4, 'ftyp');
  if (ftyp && (at(head, 8, 'heic') || at(head, 8, 'heix') || at(head, 8, 'mif1') || at(head, 8, 'avif'))) return 'image';
  if (at(head, 0, 'II*\0') || at(head, 0, 'MM\0*') || at(head, 0, 'GIF8') || type.startsWith('image/')) return 'image';
  if (ftyp || at(head, 0, 'ID3') || at(head, 0, 'OggS') || (at(head, 0, 'RIFF') && (at(head, 8, 'WAVE') || at(head, 8, 'AVI '))) || (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3)) return 'media';
  if (type.startsWith('audio/') || type.startsWith('video/')) return 'media';
  return undefined;
}

/** Never throws for a bad file: at worst the original comes back with a warning. */
export async function prepareFile(file: File): Promise<PreparedFile> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  const format = cleanableImage(head);
  if (format === undefined) {
    const advice = adviceFor(head, file.name, file.type);
    return { file, note: advice ? { kind: 'advice', advice } : undefined };
  }
  if (file.size > MAX_CLEANABLE_BYTES) return { file, note: { kind: 'tooLarge' } };
  // Copied to the worker, not transferred: should the worker fail, the page's own fallback must
  // still see the bytes (a detached buffer would look like "not a picture" and go out uncleaned).
  const bytes = new Uint8Array(await file.arrayBuffer());
  const result = (await runCrypto({ op: 'strip', bytes })) ?? {
    bytes,
    report: { format, outcome: 'malformed', removed: [], hadLocation: false, orientation: undefined, detail: 'the cleaner did not recognise it' },
  };
  const cleaned = result.report.outcome === 'cleaned' ? new File([result.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type }) : file;
  return { file: cleaned, note: { kind: 'image', report: result.report } };
}

/** One word for the review page: the file was cleaned, or it may still carry hidden information. */
export function noteSummary(note: FileNote | undefined): 'cleaned' | 'warning' | undefined {
  if (note === undefined) return undefined;
  if (note.kind !== 'image') return 'warning';
  if (note.report.outcome === 'cleaned') return 'cleaned';
  return note.report.outcome === 'malformed' ? 'warning' : undefined;
}
