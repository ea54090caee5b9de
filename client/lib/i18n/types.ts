// The shape every catalogue must have. It is derived from the English catalogue, with literal
// strings widened to `string`, so a te reo Māori catalogue (mi.ts) is checked key by key and
// parameter by parameter against en.ts by the type checker.
import type { en } from './en.ts';

export type Widen<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : T extends readonly (infer U)[]
      ? readonly Widen<U>[]
      : { readonly [K in keyof T]: Widen<T[K]> };

export type Messages = Widen<typeof en>;

/** A link written out in a catalogue: the text is translated, the address usually is not. */
export interface LinkText {
  readonly text: string;
  readonly href: string;
}
