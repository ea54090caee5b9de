// Cleaning pictures before encryption, on crafted files: every kind of hidden information the
// cleaners know is removed and named; the picture's own bytes are copied unchanged; a rotation is
// kept (JPEG) or flagged (PNG, WebP); cleaning twice changes nothing more; and a malformed or
// random file is never half-cleaned and never throws: it comes back unchanged, marked malformed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readExifFacts } from '../../client/lib/metadata/exif.ts';
import { adviceFor, cleanableImage, noteSummary, prepareFile } from '../../client/lib/metadata/prepare.ts';
import { crc32 } from '../../client/lib/metadata/png.ts';
import { stripMetadata } from '../../client/lib/metadata/strip.ts';

const ascii = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
const cat = (...parts: (Uint8Array | number[])[]) => {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
};
const u16be = (n: number) => [n >> 8, n & 0xff];
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const contains = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).includes(Buffer.from(needle));

/** A little-endian TIFF block: IFD0 with Make, Orientation and (optionally) a GPS IFD pointer. */
function tiff(orientation: number, gps: boolean): Uint8Array {
  const entries: number[][] = [];
  const entry = (tag: number, type: number, count: number, value: number[]) => entries.push([tag & 0xff, tag >> 8, type, 0, ...u32le(count).slice(0), ...value]);
  entry(0x010f, 2, 4, [...ascii('ACM\0')]); // Make, inline
  entry(0x0112, 3, 1, [orientation, 0, 0, 0]);
  if (gps) entry(0x8825, 4, 1, u32le(100));
  return cat(ascii('II*\0'), u32le(8), [entries.length, 0], ...entries.map((e) => Uint8Array.from(e)), u32le(0), ascii('GPS-SECRET-PLACE'));
}

const seg = (marker: number, payload: Uint8Array) => cat([0xff, marker], u16be(payload.length + 2), payload);
const IMAGE_SEGMENTS = cat(
  seg(0xdb, new Uint8Array(65).fill(1)), // DQT
  seg(0xc0, Uint8Array.from([8, 0, 16, 0, 16, 1, 1, 0x11, 0])), // SOF0
  seg(0xc4, new Uint8Array(20).fill(2)), // DHT
);
/** Scan data with a stuffed 0xFF00 and a restart marker, which must not end the scan. */
const SCAN = cat(seg(0xda, Uint8Array.from([1, 1, 0, 0, 63, 0])), [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56]);

function jpeg(options: { orientation?: number; gps?: boolean; trailer?: boolean } = {}): Uint8Array {
  return cat(
    [0xff, 0xd8],
    seg(0xe0, cat(ascii('JFIF\0'), [1, 2, 0, 0, 72, 0, 72, 2, 1], new Uint8Array(6).fill(9))), // JFIF with a 2×1 thumbnail
    seg(0xe1, cat(ascii('Exif\0\0'), tiff(options.orientation ?? 1, options.gps ?? false))),
    seg(0xe1, cat(ascii('http://ns.adobe.com/xap/1.0/\0'), ascii('<x:xmpmeta>XMP-AUTHOR-SECRET</x:xmpmeta>'))),
    seg(0xe2, cat(ascii('ICC_PROFILE\0'), [1, 1], ascii('ICC-DEVICE'))),
    seg(0xed, cat(ascii('Photoshop 3.0\0'), ascii('IPTC-CAPTION-SECRET'))),
    seg(0xee, cat(ascii('Adobe'), [0, 100, 0, 0, 0, 0, 1])),
    seg(0xfe, ascii('COMMENT-SECRET')),
    IMAGE_SEGMENTS,
    SCAN,
    [0xff, 0xd9],
    options.trailer ? ascii('TRAILER-SECRET') : [],
  );
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typeAndData = cat(ascii(type), data);
  return cat(u32be(data.length), typeAndData, u32be(crc32(typeAndData)));
}
const PNG_SIG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const IHDR = pngChunk('IHDR', Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
const IDAT = pngChunk('IDAT', Uint8Array.from([0x78, 0x9c, 0x63, 0x60, 0, 0, 0, 4, 0, 1]));
const IEND = pngChunk('IEND', new Uint8Array(0));

function png(extra: Uint8Array[] = []): Uint8Array {
  return cat(PNG_SIG, IHDR, ...extra, IDAT, IEND);
}

function webpChunk(type: string, data: Uint8Array): Uint8Array {
  return cat(ascii(type), u32le(data.length), data, data.length % 2 ? [0] : []);
}
function webp(chunks: Uint8Array[]): Uint8Array {
  const body = cat(ascii('WEBP'), ...chunks);
  return cat(ascii('RIFF'), u32le(body.length), body);
}
const VP8X = (flags: number) => webpChunk('VP8X', Uint8Array.from([flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
const VP8 = webpChunk('VP8 ', new Uint8Array(11).fill(5));

describe('JPEG', () => {
  it('removes EXIF, XMP, ICC, IPTC, comments, the thumbnail and the trailer, and says so', () => {
    const original = jpeg({ gps: true, trailer: true });
    const result = stripMetadata(original)!;
    expect(result.report.outcome).toBe('cleaned');
    expect(result.report.removed.map((r) => r.kind).sort()).toEqual(['comment', 'exif', 'iccProfile', 'iptc', 'thumbnail', 'trailer', 'xmp']);
    expect(result.report.hadLocation).toBe(true);
    expect(result.report.orientation).toBeUndefined();
    for (const secret of ['GPS-SECRET', 'ACM', 'XMP-AUTHOR', 'ICC-DEVICE', 'IPTC-CAPTION', 'COMMENT-SECRET', 'TRAILER-SECRET']) {
      expect(contains(result.bytes, ascii(secret)), secret).toBe(false);
    }
    // The picture itself, the Adobe colour flags and a thumbnail-free JFIF header remain.
    expect(contains(result.bytes, IMAGE_SEGMENTS)).toBe(true);
    expect(contains(result.bytes, SCAN)).toBe(true);
    expect(contains(result.bytes, ascii('Adobe'))).toBe(true);
    expect(Array.from(result.bytes.subarray(0, 20))).toEqual([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...ascii('JFIF\0'), 1, 2, 0, 0, 72, 0, 72, 0, 0]);
    expect(Array.from(result.bytes.subarray(-2))).toEqual([0xff, 0xd9]);
  });

  it('keeps only the rotation when EXIF recorded one, and a second cleaning finds nothing', () => {
    const result = stripMetadata(jpeg({ orientation: 6 }))!;
    expect(result.report.orientation).toBe('kept');
    expect(contains(result.bytes, ascii('ACM'))).toBe(false);
    const app1 = result.bytes.indexOf(0xe1, 2);
    expect(readExifFacts(result.bytes.subarray(app1 + 3 + 6))).toEqual({ orientation: 6, hasLocation: false });
    const again = stripMetadata(result.bytes)!;
    expect(again.report.outcome).toBe('nothing-found');
    expect(again.bytes).toEqual(result.bytes);
  });

  it('leaves a clean picture exactly as it is', () => {
    const clean = cat([0xff, 0xd8], IMAGE_SEGMENTS, SCAN, [0xff, 0xd9]);
    const result = stripMetadata(clean)!;
    expect(result.report.outcome).toBe('nothing-found');
    expect(result.bytes).toBe(clean);
  });

  it('leaves a malformed JPEG unchanged and says why', () => {
    const good = jpeg();
    const cases = {
      truncated: good.subarray(0, 40),
      noEnd: good.subarray(0, good.length - 2),
      badLength: (() => {
        const b = good.slice();
        b[4] = 0xff;
        b[5] = 0xff;
        return b;
      })(),
      zeroLength: cat([0xff, 0xd8, 0xff, 0xe1, 0, 0], SCAN, [0xff, 0xd9]),
      garbageBetween: cat([0xff, 0xd8], seg(0xfe, ascii('x')), [0x00, 0x01], [0xff, 0xd9]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const result = stripMetadata(bytes)!;
      expect(result.report.outcome, name).toBe('malformed');
      expect(result.bytes, name).toBe(bytes);
      expect(result.report.detail, name).toMatch(/\w/);
    }
  });
});

describe('PNG', () => {
  it('removes text notes (named), XMP, eXIf, tIME and the trailer; keeps every other chunk as it was', () => {
    const exif = pngChunk('eXIf', tiff(8, true));
    const original = cat(
      png([
        pngChunk('tEXt', cat(ascii('Author\0'), ascii('TEXT-AUTHOR-SECRET'))),
        pngChunk('iTXt', cat(ascii('XML:com.adobe.xmp\0'), [0, 0, 0, 0], ascii('XMP-SECRET'))),
        pngChunk('zTXt', cat(ascii('Software\0'), [0], ascii('compressed'))),
        exif,
        pngChunk('tIME', Uint8Array.from([7, 234, 3, 4, 5, 6, 7])),
      ]),
      ascii('TRAILER-SECRET'),
    );
    const result = stripMetadata(original)!;
    expect(result.report.outcome).toBe('cleaned');
    expect(result.report.removed).toEqual([{ kind: 'text', names: ['Author', 'Software'] }, { kind: 'xmp' }, { kind: 'exif' }, { kind: 'time' }, { kind: 'trailer' }]);
    expect(result.report.hadLocation).toBe(true);
    expect(result.report.orientation).toBe('may-rotate');
    expect(result.bytes).toEqual(png());
    expect(stripMetadata(result.bytes)!.report.outcome).toBe('nothing-found');
  });

  it('leaves a PNG with a damaged checksum, a short chunk, no IEND or IHDR not first unchanged', () => {
    const good = png([pngChunk('tEXt', ascii('Comment\0hi'))]);
    const damaged = good.slice();
    damaged[good.length - 20] = damaged[good.length - 20]! ^ 0xff;
    const cases = [damaged, good.subarray(0, good.length - 12), good.subarray(0, 30), cat(PNG_SIG, IDAT, IHDR, IEND), cat(PNG_SIG, [0xff, 0xff, 0xff, 0xff], ascii('tEXt'))];
    for (const bytes of cases) {
      const result = stripMetadata(bytes)!;
      expect(result.report.outcome).toBe('malformed');
      expect(result.bytes).toBe(bytes);
    }
  });
});

describe('WebP', () => {
  it('removes EXIF and XMP chunks, clears their flags and fixes the RIFF size', () => {
    const original = webp([VP8X(0x08 | 0x04 | 0x10), VP8, webpChunk('EXIF', cat(ascii('Exif\0\0'), tiff(3, false))), webpChunk('XMP ', ascii('XMP-SECRET!'))]);
    const result = stripMetadata(original)!;
    expect(result.report.outcome).toBe('cleaned');
    expect(result.report.removed).toEqual([{ kind: 'exif' }, { kind: 'xmp' }]);
    expect(result.report.orientation).toBe('may-rotate');
    expect(result.bytes).toEqual(webp([VP8X(0x10), VP8]));
    expect(stripMetadata(result.bytes)!.report.outcome).toBe('nothing-found');
  });

  it('leaves a WebP whose sizes do not add up unchanged', () => {
    const good = webp([VP8X(0x08), VP8, webpChunk('EXIF', tiff(1, false))]);
    const shortRiff = good.slice();
    shortRiff[4] = 200;
    const chunkTooLong = webp([VP8, cat(ascii('EXIF'), u32le(5000), [1, 2])]);
    for (const bytes of [good.subarray(0, good.length - 3), shortRiff, chunkTooLong]) {
      const result = stripMetadata(bytes)!;
      expect(result.report.outcome).toBe('malformed');
      expect(result.bytes).toBe(bytes);
    }
  });
});

describe('any input', () => {
  it('never throws, and either cleans or returns the very same bytes', () => {
    const starts = [jpeg({ gps: true, orientation: 6 }), png([pngChunk('tEXt', ascii('a\0b'))]), webp([VP8X(8), VP8, webpChunk('EXIF', tiff(1, true))])];
    fc.assert(
      fc.property(fc.constantFrom(...starts), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(), (start, edits, cut) => {
        const bytes = start.slice(0, Math.max(12, start.length - (cut % 40)));
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        const result = stripMetadata(bytes);
        if (result === undefined) return;
        if (result.report.outcome !== 'cleaned') expect(result.bytes).toBe(bytes);
        else expect(stripMetadata(result.bytes)?.report.outcome).not.toBe('malformed');
      }),
      { numRuns: 400 },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void stripMetadata(bytes)));
  });
});

describe('preparing a file before encryption', () => {
  it('sends the cleaned picture and reports what was removed', async () => {
    const prepared = await prepareFile(new File([jpeg({ gps: true }) as Uint8Array<ArrayBuffer>], 'photo.jpg', { type: 'image/jpeg' }));
    expect(prepared.note?.kind).toBe('image');
    const bytes = new Uint8Array(await prepared.file.arrayBuffer());
    expect(contains(bytes, ascii('GPS-SECRET'))).toBe(false);
    expect(prepared.file.name).toBe('photo.jpg');
  });

  it('judges by the first bytes, and warns about formats it cannot clean', async () => {
    expect(cleanableImage(png())).toBe('png');
    expect(cleanableImage(jpeg())).toBe('jpeg');
    expect(cleanableImage(webp([VP8]))).toBe('webp');
    expect(cleanableImage(ascii('%PDF-1.7 and more'))).toBeUndefined();
    expect(adviceFor(ascii('%PDF-1.7'), 'notes.txt', '')).toBe('pdf');
    expect(adviceFor(ascii('PK\x03\x04....'), 'Report.DOCX', '')).toBe('office');
    expect(adviceFor(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0]), 'old.bin', '')).toBe('office');
    expect(adviceFor(ascii('PK\x03\x04....'), 'archive.zip', 'application/zip')).toBeUndefined();
    expect(adviceFor(cat([0, 0, 0, 24], ascii('ftypheic')), 'IMG_1.HEIC', '')).toBe('image');
    expect(adviceFor(cat([0, 0, 0, 24], ascii('ftypisom')), 'clip.mp4', '')).toBe('media');
    expect(adviceFor(ascii('hello'), 'notes.txt', 'text/plain')).toBeUndefined();
    const pdf = await prepareFile(new File(['%PDF-1.4 body'], 'a.pdf'));
    expect(pdf.note).toEqual({ kind: 'advice', advice: 'pdf' });
    const broken = await prepareFile(new File([jpeg().subarray(0, 50) as Uint8Array<ArrayBuffer>], 'b.jpg'));
    expect(broken.note).toMatchObject({ kind: 'image', report: { outcome: 'malformed' } });
    expect(broken.file.size).toBe(50);
    // The review page's one-word summary of each.
    expect(noteSummary(broken.note)).toBe('warning');
    expect(noteSummary(pdf.note)).toBe('warning');
    expect(noteSummary({ kind: 'tooLarge' })).toBe('warning');
    expect(noteSummary((await prepareFile(new File([jpeg() as Uint8Array<ArrayBuffer>], 'c.jpg'))).note)).toBe('cleaned');
    expect(noteSummary((await prepareFile(new File([png() as Uint8Array<ArrayBuffer>], 'd.png'))).note)).toBeUndefined();
    expect(noteSummary(undefined)).toBeUndefined();
  });
});
