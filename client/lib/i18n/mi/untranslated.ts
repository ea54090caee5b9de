// The marker of a te reo Māori entry still in English. It returns its argument unchanged, so the
// catalogue type-checks and could run, but every call is a line a fluent speaker must still
// translate (and test/client/i18n-mi.test.ts counts them). Translating an entry means replacing
// `untranslated(…)` with the te reo text; never machine-translate.
export function untranslated<T>(english: T): T {
  return english;
}
