// Message catalogues. Every word the discloser pages show comes from here, never from markup, so a
// translation is one folder. te reo Māori is laid out in mi.ts and mi/ (type-checked against the
// English) but most entries await a fluent speaker; docs/guide-discloser.md says how to finish it,
// add it to `catalogues`, and offer the choice on the start page.
import { en } from './en.ts';
import type { Messages } from './types.ts';

export type { LinkText, Messages } from './types.ts';

export type Locale = 'en';

export const catalogues: Readonly<Record<Locale, { readonly lang: string; readonly messages: Messages }>> = {
  en: { lang: 'en-NZ', messages: en },
};

/** The catalogue in use. One locale today; the pages read `t` so switching later is one change. */
export const t: Messages = catalogues.en.messages;
export const lang: string = catalogues.en.lang;
