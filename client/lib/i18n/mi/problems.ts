// te reo Māori: problems (mirrors ../en/problems.ts). Every untranslated(…) still holds the English
// text and awaits a fluent speaker; see docs/guide-discloser.md, "Completing te reo Māori".
import { untranslated } from './untranslated.ts';
// chosen by client/lib/errors.ts; nothing typed is lost in any of them while the page stays open.
export const problems = {
  network: {
    title: untranslated('We could not reach Candour'),
    next: untranslated('Check your internet connection (Tor Browser can take a moment to connect) and try again. Nothing you typed has been lost.'),
  },
  rateLimited: {
    title: untranslated('Candour is busy right now'),
    next: untranslated('Wait a minute and try again. Nothing you typed has been lost.'),
  },
  unavailable: {
    title: untranslated('Candour is temporarily unavailable'),
    next: untranslated('Try again in a few minutes. Nothing you typed has been lost.'),
  },
  server: {
    title: untranslated('Something went wrong on Candour’s side'),
    next: untranslated('Try again in a few minutes. If it keeps happening, keep this page open and try later. Nothing you typed has been lost.'),
  },
  rejected: {
    title: untranslated('Candour did not accept this request'),
    next: untranslated('This is probably a problem with Candour, not with you. Try again; if it keeps happening, try again later.'),
  },
  unknownOrganisation: {
    title: untranslated('That organisation is no longer accepting reports here'),
    next: untranslated('Go back and choose another organisation, or an appropriate authority such as the Ombudsman.'),
  },
  conflict: {
    title: untranslated('Candour already holds a different report under the same reference'),
    next: untranslated('Press “Encrypt and send” again: it will be sent as a new report. Your answers are kept.'),
  },
  alreadyEscalated: {
    title: untranslated('This authority already has your report'),
    next: untranslated('It is listed in your mailbox as a separate report. You do not need to send it again.'),
  },
  threadChanged: {
    title: untranslated('The conversation changed while you were writing'),
    next: untranslated('We have reloaded it. Read the new message, then send yours again.'),
  },
  loginFailed: {
    title: untranslated('That code did not open a mailbox'),
    next: untranslated('Check each word against your copy and try again. If you have just sent a report, make sure you use the code shown then.'),
  },
  sessionExpired: {
    title: untranslated('Your mailbox session ended'),
    next: untranslated('Type your code again to reopen it.'),
  },
  directory: {
    title: untranslated('The list of organisations could not be trusted'),
    next: untranslated('Nothing has been sent. Try again later or from another network. If it keeps happening, contact the Ombudsman another way.'),
  },
  cryptoUnavailable: {
    title: untranslated('Encryption could not start in this browser'),
    next: untranslated('Try an up-to-date Tor Browser, Firefox or Chrome. Nothing has been sent.'),
  },
  powCancelled: {
    title: untranslated('You stopped the anti-spam check'),
    next: untranslated('Nothing was sent. Press the button again when you are ready.'),
  },
  codeLength: {
    title: untranslated('A mailbox code has 13 words'),
    next: untranslated('Check you have copied every word.'),
  },
  codeWord: {
    title: untranslated('A word is not part of any mailbox code'),
    next: untranslated('Check the spelling of that word against your copy.'),
  },
  codeChecksum: {
    title: untranslated('This code does not add up'),
    next: untranslated('A word may be mistyped or two words may be swapped. Check against your copy.'),
  },
  decryption: {
    title: untranslated('Something could not be decrypted'),
    next: untranslated('The data may have been changed. Do not rely on it; contact the organisation another way.'),
  },
  unexpected: {
    title: untranslated('Something unexpected went wrong'),
    next: untranslated('Try again. If it keeps happening, reload the page (what you typed will be lost) or try another browser.'),
  },
  detailsLabel: untranslated('Details:'),
  retryIn: untranslated((seconds: number) => `You can try again in ${seconds} seconds.`),
  codeWordAt: untranslated((position: number, word: string, suggestions: string) =>
    suggestions === '' ? `Word ${position} (“${word}”) is not a mailbox-code word.` : `Word ${position} (“${word}”) is not a mailbox-code word. Did you mean ${suggestions}?`),
  codeSwapped: untranslated((a: number, b: number) => `Words ${a} and ${b} look swapped.`),
  codeSuspects: untranslated((positions: string) => `Check word ${positions}.`),
  codeCount: untranslated((count: number) => `You typed ${count} words.`),
  or: untranslated('or'),
};
