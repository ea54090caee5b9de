// Quick exit: hide the page at once, then leave for a neutral site with location.replace, so the
// Candour page is replaced in the tab's history rather than left one "Back" press away. Over Tor
// the next site can take seconds to load; the page is blanked first so nothing stays on screen.

/** A New Zealand weather site: unremarkable in a browser's history or on a shoulder-surfer's glance. */
export const QUICK_EXIT_URL = 'https://www.metservice.com/';

export function quickExit(): void {
  document.title = 'Weather';
  document.body.replaceChildren();
  location.replace(QUICK_EXIT_URL);
}
