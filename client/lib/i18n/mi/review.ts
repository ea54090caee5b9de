// te reo Māori: review (mirrors ../en/review.ts). Every untranslated(…) still holds the English
// text and awaits a fluent speaker; see docs/guide-discloser.md, "Completing te reo Māori".
import { untranslated } from './untranslated.ts';
export const review = {
  title: untranslated('Check your report'),
  intro: untranslated('This is what will be encrypted and sent. Use “Change” to edit anything.'),
  receiver: untranslated('Sent to'),
  change: untranslated((what: string) => `Change ${what}`),
  notAnswered: untranslated('Not answered'),
  identityNone: untranslated('Not included: you stay anonymous.'),
  identityIncluded: untranslated('Included, locked separately (see above for who can open it).'),
  files: untranslated('Files'),
  noFiles: untranslated('No files'),
  fileNote: {
    cleaned: untranslated('hidden information removed'),
    warning: untranslated('may still hold hidden information that could identify you (see Files)'),
  },
  lockedNote: untranslated('Your report is locked while it is being sent, so that sending it again never creates a second copy.'),
  send: untranslated('Encrypt and send'),
  sending: {
    sealing: untranslated('Encrypting your report…'),
    pow: untranslated('Doing a short anti-spam check on this device…'),
    powProgress: untranslated((attempts: string) => `Anti-spam check: ${attempts} tries so far`),
    posting: untranslated('Sending…'),
    retrying: untranslated((seconds: number) => `Connection problem: trying again in ${seconds} seconds…`),
  },
  powExplain:
    untranslated('Instead of tracking who you are, Candour asks your device to do a little work before it accepts a report. It usually takes a few seconds.'),
  stopPow: untranslated('Stop'),
  ambiguous:
    untranslated('We could not confirm whether your report arrived. Send it again: Candour recognises a repeat and will not create a second copy.'),
};

export const sent = {
  title: untranslated('Your report has been sent'),
  received: untranslated((date: string) => `It was received on ${date}.`),
  codeTitle: untranslated('Your mailbox code'),
  codeIntro:
    untranslated('This code is the only way to read replies, answer questions, or send your report to the Ombudsman later. Write it down on paper now and keep it somewhere safe and private.'),
  codeWarning:
    untranslated('Nobody can recover this code, not even the people who run Candour. If you lose it, you cannot get back into your mailbox.'),
  codeLabel: untranslated('Mailbox code (13 words)'),
  wordNumber: untranslated((n: number) => `${n}.`),
  save: untranslated('Save as a text file'),
  saveHint: untranslated('Only save it on a device and in a place your employer cannot see.'),
  print: untranslated('Print'),
  fileName: untranslated('candour-mailbox-code.txt'),
  fileText: untranslated((code: string, date: string) =>
    `Candour mailbox code\n\n${code}\n\nReport received on ${date}.\nKeep this code secret. It is the only way to open your mailbox, and it cannot be recovered.\n`),
  confirmTitle: untranslated('Check you have written it down'),
  confirmIntro: untranslated('Type the words at these positions from your copy, not from the screen above.'),
  confirmWord: untranslated((n: number) => `Word ${n}`),
  confirm: untranslated('Check'),
  confirmWrong: untranslated((n: number) => `Word ${n} does not match. Check your copy.`),
  confirmEmpty: untranslated((n: number) => `Type word ${n}.`),
  confirmed: untranslated('That matches. Keep your code safe.'),
  next: untranslated('Finish'),
  doneTitle: untranslated('Thank you'),
  done: [
    untranslated('The organisation should acknowledge your report within 20 working days. Come back with your mailbox code to read replies and see the dates it owes you.'),
    untranslated('Close this tab when you are finished. Candour left nothing in your browser’s storage.'),
  ],
  openMailbox: untranslated('Open my mailbox'),
};
