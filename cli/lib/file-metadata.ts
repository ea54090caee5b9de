// What a decrypted attachment says about where it came from, so an officer can scrub it before
// sharing it further: the file's real type (from its first bytes, whatever its name claims) and
// the metadata it carries (EXIF camera, time and GPS location in JPEG; text chunks in PNG; author
// fields and XMP in PDF; Office documents' author properties). Reads a few positioned slices of
// the file, never the whole of it. A finding means "look at this", not "this is all there is".
import { open } from 'node:fs/promises';

export interface FileMetadata {
  readonly detectedType: string;
  readonly findings: readonly string[];
}

const HEAD_BYTES = 256 * 1024;
const TAIL_BYTES = 64 * 1024;

const TIFF_TAGS: Readonly<Record<number, string>> = {
  0x010e: 'description',
  0x010f: 'camera make',
  0x0110: 'camera model',
  0x0131: 'software',
  0x0132: 'date and time',
  0x013b: 'artist',
  0x8298: 'copyright',
};

export async function inspectFileMetadata(file: string): Promise<FileMetadata> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const tail = new Uint8Array(Math.min(size, TAIL_BYTES));
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { detectedType: 'image/jpeg', findings: jpegFindings(head) };
    if (ascii(head, 1, 3) === 'PNG' && head[0] === 0x89) return { detectedType: 'image/png', findings: await pngFindings(handle, size) };
    if (ascii(head, 0, 5) === '%PDF-') return { detectedType: 'application/pdf', findings: pdfFindings(head, tail) };
    if (ascii(head, 0, 4) === 'GIF8') return { detectedType: 'image/gif', findings: textHint(head, 'XMP DataXMP') ? ['XMP metadata block'] : [] };
    if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') {
      return { detectedType: 'image/webp', findings: ['EXIF', 'XMP '].filter((c) => textHint(head, c)).map((c) => `${c.trim()} chunk`) };
    }
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 3 && head[3] === 4) {
      const office = textHint(head, 'docProps/') || textHint(tail, 'docProps/');
      return office
        ? { detectedType: 'application/zip (Office document)', findings: ['document properties (docProps/core.xml, app.xml: author, last modified by, company, times)'] }
        : { detectedType: 'application/zip', findings: ['an archive: inspect each file inside before sharing'] };
    }
    if (ascii(head, 4, 4) === 'ftyp') return { detectedType: `video or image (ISO media, ${ascii(head, 8, 4).trim()})`, findings: ['ISO media files usually carry creation time, device and sometimes GPS location'] };
    return { detectedType: looksLikeText(head) ? 'text' : 'unknown (binary)', findings: [] };
  } finally {
    await handle.close();
  }
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  const slice = bytes.subarray(Math.max(0, offset), Math.max(0, offset + length));
  return Buffer.from(slice.buffer, slice.byteOffset, slice.length).toString('latin1');
}

function textHint(bytes: Uint8Array, needle: string): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes(needle, 0, 'latin1');
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 4096);
  return !sample.includes(0);
}

function jpegFindings(head: Uint8Array): string[] {
  const findings: string[] = [];
  let offset = 2;
  while (offset + 4 <= head.length && head[offset] === 0xff) {
    const marker = head[offset + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // start of scan: the metadata segments are over
    const length = (head[offset + 2]! << 8) | head[offset + 3]!;
    const body = head.subarray(offset + 4, Math.min(head.length, offset + 2 + length));
    if (marker === 0xe1 && ascii(body, 0, 6) === 'Exif\0\0') findings.push(...exifFindings(body.subarray(6)));
    else if (marker === 0xe1 && ascii(body, 0, 28) === 'http://ns.adobe.com/xap/1.0/') findings.push('XMP metadata (may name the author, software, edit history)');
    else if (marker === 0xed) findings.push('Photoshop/IPTC block (may name the author, place, caption)');
    else if (marker === 0xfe) findings.push(`comment: "${ascii(body, 0, Math.min(body.length, 80))}"`);
    offset += 2 + length;
  }
  return findings;
}

/** IFD0 of the TIFF structure inside an EXIF block: the telling text fields and the GPS pointer. */
function exifFindings(tiff: Uint8Array): string[] {
  const findings = ['EXIF block'];
  if (tiff.length < 8) return findings;
  const little = ascii(tiff, 0, 2) === 'II';
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.length);
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  try {
    const ifd = u32(4);
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      const tag = u16(entry);
      if (tag === 0x8825) findings.push('GPS location (EXIF GPS block)');
      else if (tag === 0x8769) findings.push('EXIF camera settings (may include original date and time, serial numbers)');
      const name = TIFF_TAGS[tag];
      if (name && u16(entry + 2) === 2) {
        const length = u32(entry + 4);
        const at = length <= 4 ? entry + 8 : u32(entry + 8);
        findings.push(`${name}: "${ascii(tiff, at, Math.min(length, 120)).replace(/\0+$/, '')}"`);
      }
    }
  } catch {
    findings.push('(the EXIF block is malformed; treat it as present)');
  }
  return findings;
}

async function pngFindings(handle: Awaited<ReturnType<typeof open>>, size: number): Promise<string[]> {
  const findings: string[] = [];
  const header = new Uint8Array(8);
  let offset = 8;
  // Chunk headers only: a positioned 8-byte read per chunk, so a large image is not read whole.
  while (offset + 8 <= size) {
    await handle.read(header, 0, 8, offset);
    const length = new DataView(header.buffer).getUint32(0, false);
    const type = ascii(header, 4, 4);
    if (type === 'tEXt' || type === 'iTXt' || type === 'zTXt') {
      const keyword = new Uint8Array(Math.min(length, 79));
      await handle.read(keyword, 0, keyword.length, offset + 8);
      findings.push(`text chunk "${ascii(keyword, 0, keyword.indexOf(0) < 0 ? keyword.length : keyword.indexOf(0))}"`);
    } else if (type === 'eXIf') findings.push('EXIF block (may include GPS location)');
    else if (type === 'tIME') findings.push('last-modified time');
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  return findings;
}

function pdfFindings(head: Uint8Array, tail: Uint8Array): string[] {
  const text = `${ascii(head, 0, head.length)}\n${ascii(tail, 0, tail.length)}`;
  const findings = new Set<string>();
  for (const field of ['Author', 'Creator', 'Producer', 'Title', 'Subject', 'Keywords', 'CreationDate', 'ModDate']) {
    const match = new RegExp(`/${field}\\s*\\(([^)]{0,120})\\)`).exec(text);
    if (match) findings.add(`${field}: "${match[1]}"`);
    else if (new RegExp(`/${field}\\b`).test(text)) findings.add(`${field} field`);
  }
  if (text.includes('<x:xmpmeta')) findings.add('XMP metadata (may name the author, software, edit history)');
  return [...findings];
}
