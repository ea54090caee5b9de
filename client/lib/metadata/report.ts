// What stripping found and did, per file, in words the attachments page can say exactly. Kept
// apart from the parsers so that the page can import these types without loading them.

/** Kinds of hidden information a cleaner can remove. */
export type RemovedKind =
  | 'exif' // camera make and model, serial numbers, dates, settings, often the GPS position
  | 'xmp' // editing software, history, author, sometimes the position
  | 'iptc' // captions, author, copyright, place names (Photoshop/IPTC block)
  | 'comment' // free text written into the file
  | 'thumbnail' // a small copy of the picture, possibly before it was cropped or edited
  | 'iccProfile' // the colour profile, which can name the device or software
  | 'extraImages' // further pictures in the same file (previews, depth maps)
  | 'appData' // other programs' private data
  | 'text' // PNG text notes (author, software, description…)
  | 'time' // PNG last-modified time
  | 'trailer'; // data after the end of the picture

export interface RemovedItem {
  readonly kind: RemovedKind;
  /** For PNG text notes: their keywords ("Author", "Software"…), as found. */
  readonly names?: readonly string[];
}

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export interface StripReport {
  readonly format: ImageFormat;
  /** `malformed`: the file could not be read safely and was left exactly as it was. */
  readonly outcome: 'cleaned' | 'nothing-found' | 'malformed';
  readonly removed: readonly RemovedItem[];
  /** The removed EXIF recorded a GPS position. */
  readonly hadLocation: boolean;
  /**
   * `kept`: the picture's rotation was written back on its own, so it still shows upright.
   * `may-rotate`: the rotation was removed with the rest and the picture may show turned.
   */
  readonly orientation: 'kept' | 'may-rotate' | undefined;
  /** Why a malformed file could not be read (for the person, in English). */
  readonly detail?: string;
}

export interface StripResult {
  readonly bytes: Uint8Array;
  readonly report: StripReport;
}

/** Thrown inside a parser for anything that does not follow its format; the file is then left as it was. */
export class MalformedImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedImageError';
  }
}

/** Collects removed items, merging repeats of one kind. */
export class RemovedList {
  private readonly items = new Map<RemovedKind, Set<string>>();

  add(kind: RemovedKind, name?: string): void {
    let names = this.items.get(kind);
    if (!names) this.items.set(kind, (names = new Set()));
    if (name !== undefined && name !== '') names.add(name);
  }

  get size(): number {
    return this.items.size;
  }

  list(): RemovedItem[] {
    return [...this.items].map(([kind, names]) => (names.size > 0 ? { kind, names: [...names] } : { kind }));
  }
}
