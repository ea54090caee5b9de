// Words shared by every discloser page.
export const common = {
  appName: 'Candour',
  tagline: 'Report serious wrongdoing safely',
  quickExit: 'Quick exit',
  quickExitHint: 'Leaves this site at once for a weather page, and replaces this page in your browser history.',
  skipToContent: 'Skip to main content',
  back: 'Back',
  continue: 'Continue',
  cancel: 'Cancel',
  tryAgain: 'Try again',
  startOver: 'Start again',
  close: 'Close',
  required: '(required)',
  optional: '(optional)',
  stepOf: (step: number, total: number, name: string) => `Step ${step} of ${total}: ${name}`,
  fileWithSize: (name: string, size: string) => `${name} (${size})`,
  steps: {
    start: 'Before you start',
    receiver: 'Who to tell',
    form: 'What happened',
    attachments: 'Files',
    review: 'Check and send',
    sent: 'Your mailbox code',
  },
  demoBanner: 'Demo site: not for real reports',
  demoBannerDetail:
    'This is a demonstration. Anything sent here may be read by whoever runs it and may be deleted at any time. Do not report real wrongdoing here.',
  crypto: {
    loading: 'Preparing encryption in the background…',
    ready: 'Encryption is ready.',
    readyPureJs: 'Encryption is ready (running without WebAssembly, as in Tor Browser’s “Safer” setting; some steps take a little longer).',
    failed: 'Encryption could not start in this browser.',
  },
  errorSummaryTitle: 'There is a problem',
  nav: {
    label: 'Candour',
    report: 'Make a report',
    mailbox: 'Open my mailbox',
  },
  footer:
    'Candour keeps no cookies and stores nothing in your browser. When you close this tab, what you typed is gone.',
} as const;
