// te reo Māori: common (mirrors ../en/common.ts). Every untranslated(…) still holds the English
// text and awaits a fluent speaker; see docs/guide-discloser.md, "Completing te reo Māori".
import { untranslated } from './untranslated.ts';
export const common = {
  appName: 'Candour',
  tagline: untranslated('Report serious wrongdoing safely'),
  quickExit: untranslated('Quick exit'),
  quickExitHint: untranslated('Leaves this site at once for a weather page, and replaces this page in your browser history.'),
  skipToContent: untranslated('Skip to main content'),

  back: untranslated('Back'),
  continue: untranslated('Continue'),
  cancel: untranslated('Cancel'),
  tryAgain: untranslated('Try again'),
  startOver: untranslated('Start again'),
  close: untranslated('Close'),
  required: untranslated('(required)'),
  optional: untranslated('(optional)'),
  stepOf: untranslated((step: number, total: number, name: string) => `Step ${step} of ${total}: ${name}`),
  fileWithSize: untranslated((name: string, size: string) => `${name} (${size})`),
  steps: {
    start: untranslated('Before you start'),
    receiver: untranslated('Who to tell'),
    form: untranslated('What happened'),
    attachments: untranslated('Files'),
    review: untranslated('Check and send'),
    sent: untranslated('Your mailbox code'),
  },
  demoBanner: untranslated('Demo site: not for real reports'),
  demoBannerDetail:
    untranslated('This is a demonstration. Anything sent here may be read by whoever runs it and may be deleted at any time. Do not report real wrongdoing here.'),
  crypto: {
    loading: untranslated('Preparing encryption in the background…'),
    ready: untranslated('Encryption is ready.'),
    readyPureJs: untranslated('Encryption is ready (running without WebAssembly, as in Tor Browser’s “Safer” setting; some steps take a little longer).'),
    failed: untranslated('Encryption could not start in this browser.'),
  },
  errorSummaryTitle: untranslated('There is a problem'),
  nav: {
    label: untranslated('Candour'),
    report: untranslated('Make a report'),
    mailbox: untranslated('Open my mailbox'),
  },
  footer:
    untranslated('Candour keeps no cookies and stores nothing in your browser. When you close this tab, what you typed is gone.'),
};
