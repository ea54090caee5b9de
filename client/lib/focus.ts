// Focus on page changes: the new page's heading takes focus, except on the very first page load,
// where the browser's natural order (skip link, then quick exit) must stay untouched.
let firstPageLoad = true;

/** True exactly once: for the first page shown after the app starts. */
export function takeFirstPageLoad(): boolean {
  const first = firstPageLoad;
  firstPageLoad = false;
  return first;
}
