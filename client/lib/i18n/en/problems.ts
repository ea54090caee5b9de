// Every failure the discloser can meet, each with what happened and what to do next. The keys are
// chosen by client/lib/errors.ts; nothing typed is lost in any of them while the page stays open.
export const problems = {
  network: {
    title: 'We could not reach Candour',
    next: 'Check your internet connection (Tor Browser can take a moment to connect) and try again. Nothing you typed has been lost.',
  },
  rateLimited: {
    title: 'Candour is busy right now',
    next: 'Wait a minute and try again. Nothing you typed has been lost.',
  },
  unavailable: {
    title: 'Candour is temporarily unavailable',
    next: 'Try again in a few minutes. Nothing you typed has been lost.',
  },
  server: {
    title: 'Something went wrong on Candour’s side',
    next: 'Try again in a few minutes. If it keeps happening, keep this page open and try later. Nothing you typed has been lost.',
  },
  rejected: {
    title: 'Candour did not accept this request',
    next: 'This is probably a problem with Candour, not with you. Try again; if it keeps happening, try again later.',
  },
  unknownOrganisation: {
    title: 'That organisation is no longer accepting reports here',
    next: 'Go back and choose another organisation, or an appropriate authority such as the Ombudsman.',
  },
  conflict: {
    title: 'Candour already holds a different report under the same reference',
    next: 'Press “Encrypt and send” again: it will be sent as a new report. Your answers are kept.',
  },
  alreadyEscalated: {
    title: 'This authority already has your report',
    next: 'It is listed in your mailbox as a separate report. You do not need to send it again.',
  },
  threadChanged: {
    title: 'The conversation changed while you were writing',
    next: 'We have reloaded it. Read the new message, then send yours again.',
  },
  loginFailed: {
    title: 'That code did not open a mailbox',
    next: 'Check each word against your copy and try again. If you have just sent a report, make sure you use the code shown then.',
  },
  sessionExpired: {
    title: 'Your mailbox session ended',
    next: 'Type your code again to reopen it.',
  },
  directory: {
    title: 'The list of organisations could not be trusted',
    next: 'Nothing has been sent. Try again later or from another network. If it keeps happening, contact the Ombudsman another way.',
  },
  cryptoUnavailable: {
    title: 'Encryption could not start in this browser',
    next: 'Try an up-to-date Tor Browser, Firefox or Chrome. Nothing has been sent.',
  },
  powCancelled: {
    title: 'You stopped the anti-spam check',
    next: 'Nothing was sent. Press the button again when you are ready.',
  },
  codeLength: {
    title: 'A mailbox code has 13 words',
    next: 'Check you have copied every word.',
  },
  codeWord: {
    title: 'A word is not part of any mailbox code',
    next: 'Check the spelling of that word against your copy.',
  },
  codeChecksum: {
    title: 'This code does not add up',
    next: 'A word may be mistyped or two words may be swapped. Check against your copy.',
  },
  decryption: {
    title: 'Something could not be decrypted',
    next: 'The data may have been changed. Do not rely on it; contact the organisation another way.',
  },
  unexpected: {
    title: 'Something unexpected went wrong',
    next: 'Try again. If it keeps happening, reload the page (what you typed will be lost) or try another browser.',
  },
  detailsLabel: 'Details:',
  retryIn: (seconds: number) => `You can try again in ${seconds} seconds.`,
  codeWordAt: (position: number, word: string, suggestions: string) =>
    suggestions === '' ? `Word ${position} (“${word}”) is not a mailbox-code word.` : `Word ${position} (“${word}”) is not a mailbox-code word. Did you mean ${suggestions}?`,
  codeSwapped: (a: number, b: number) => `Words ${a} and ${b} look swapped.`,
  codeSuspects: (positions: string) => `Check word ${positions}.`,
  codeCount: (count: number) => `You typed ${count} words.`,
  or: 'or',
} as const;
