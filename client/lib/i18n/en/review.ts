// Checking, sending, and the mailbox code.
export const review = {
  title: 'Check your report',
  intro: 'This is what will be encrypted and sent. Use “Change” to edit anything.',
  receiver: 'Sent to',
  change: (what: string) => `Change ${what}`,
  notAnswered: 'Not answered',
  identityNone: 'Not included: you stay anonymous.',
  identityIncluded: 'Included, locked separately (see above for who can open it).',
  files: 'Files',
  noFiles: 'No files',
  fileNote: {
    cleaned: 'hidden information removed',
    warning: 'may still hold hidden information that could identify you (see Files)',
  },
  lockedNote: 'Your report is locked while it is being sent, so that sending it again never creates a second copy.',
  send: 'Encrypt and send',
  sending: {
    sealing: 'Encrypting your report…',
    pow: 'Doing a short anti-spam check on this device…',
    powProgress: (attempts: string) => `Anti-spam check: ${attempts} tries so far`,
    posting: 'Sending…',
    retrying: (seconds: number) => `Connection problem: trying again in ${seconds} seconds…`,
  },
  powExplain:
    'Instead of tracking who you are, Candour asks your device to do a little work before it accepts a report. It usually takes a few seconds.',
  stopPow: 'Stop',
  ambiguous:
    'We could not confirm whether your report arrived. Send it again: Candour recognises a repeat and will not create a second copy.',
} as const;

export const sent = {
  title: 'Your report has been sent',
  received: (date: string) => `It was received on ${date}.`,
  codeTitle: 'Your mailbox code',
  codeIntro:
    'This code is the only way to read replies, answer questions, or send your report to the Ombudsman later. Write it down on paper now and keep it somewhere safe and private.',
  codeWarning:
    'Nobody can recover this code, not even the people who run Candour. If you lose it, you cannot get back into your mailbox.',
  codeLabel: 'Mailbox code (13 words)',
  wordNumber: (n: number) => `${n}.`,
  save: 'Save as a text file',
  saveHint: 'Only save it on a device and in a place your employer cannot see.',
  print: 'Print',
  fileName: 'candour-mailbox-code.txt',
  fileText: (code: string, date: string) =>
    `Candour mailbox code\n\n${code}\n\nReport received on ${date}.\nKeep this code secret. It is the only way to open your mailbox, and it cannot be recovered.\n`,
  confirmTitle: 'Check you have written it down',
  confirmIntro: 'Type the words at these positions from your copy, not from the screen above.',
  confirmWord: (n: number) => `Word ${n}`,
  confirm: 'Check',
  confirmWrong: (n: number) => `Word ${n} does not match. Check your copy.`,
  confirmEmpty: (n: number) => `Type word ${n}.`,
  confirmed: 'That matches. Keep your code safe.',
  next: 'Finish',
  doneTitle: 'Thank you',
  done: [
    'The organisation should acknowledge your report within 20 working days. Come back with your mailbox code to read replies and see the dates it owes you.',
    'Close this tab when you are finished. Candour left nothing in your browser’s storage.',
  ],
  openMailbox: 'Open my mailbox',
} as const;
