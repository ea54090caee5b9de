// The attachment metadata listing `candour decrypt` writes so an officer can scrub files: real
// structures built byte by byte (a JPEG with an EXIF block naming the camera and holding GPS, a
// PNG with text chunks, a PDF with an Author field), each found and named.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFileMetadata } from '../../cli/lib/file-metadata.ts';
import { scratch } from './cli-harness.ts';

let s: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  s = await scratch();
});
afterAll(() => s.remove());

const be16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const ascii = (text: string) => [...Buffer.from(text, 'latin1')];

/** A minimal big-endian TIFF with IFD0 holding Make ("Canon") and a GPS IFD pointer. */
function exifJpeg(): Uint8Array {
  const make = ascii('Canon\0');
  const ifdOffset = 8;
  const entries = 2;
  const dataOffset = ifdOffset + 2 + entries * 12 + 4;
  const tiff = [
    ...ascii('MM'), ...be16(42), ...be32(ifdOffset),
    ...be16(entries),
    ...be16(0x010f), ...be16(2), ...be32(make.length), ...be32(dataOffset),
    ...be16(0x8825), ...be16(4), ...be32(1), ...be32(0),
    ...be32(0),
    ...make,
  ];
  const app1 = [...ascii('Exif\0\0'), ...tiff];
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, ...be16(app1.length + 2), ...app1, 0xff, 0xda, 0, 2, 0xff, 0xd9]);
}

function pngWithText(): Uint8Array {
  const chunk = (type: string, data: number[]) => [...be32(data.length), ...ascii(type), ...data, 0, 0, 0, 0];
  return Uint8Array.from([0x89, ...ascii('PNG\r\n\x1a\n'), ...chunk('IHDR', new Array(13).fill(0)), ...chunk('tEXt', ascii('Author\0Jo Bloggs')), ...chunk('IEND', [])]);
}

describe('attachment metadata for scrubbing', () => {
  it('finds the camera and the GPS block in a JPEG\'s EXIF', async () => {
    await writeFile(s.file('photo.bin'), exifJpeg());
    expect(await inspectFileMetadata(s.file('photo.bin'))).toEqual({
      detectedType: 'image/jpeg',
      findings: ['EXIF block', 'camera make: "Canon"', 'GPS location (EXIF GPS block)'],
    });
  });

  it('finds text chunks in a PNG, and author fields in a PDF', async () => {
    await writeFile(s.file('image.bin'), pngWithText());
    expect(await inspectFileMetadata(s.file('image.bin'))).toEqual({ detectedType: 'image/png', findings: ['text chunk "Author"'] });
    await writeFile(s.file('doc.bin'), '%PDF-1.4\n1 0 obj << /Author (Jo Bloggs) /Producer (Word) >> endobj\n%%EOF\n');
    expect(await inspectFileMetadata(s.file('doc.bin'))).toEqual({ detectedType: 'application/pdf', findings: ['Author: "Jo Bloggs"', 'Producer: "Word"'] });
  });

  it('reports plain text with nothing found', async () => {
    await writeFile(s.file('notes.bin'), 'just words\n');
    expect(await inspectFileMetadata(s.file('notes.bin'))).toEqual({ detectedType: 'text', findings: [] });
  });
});
