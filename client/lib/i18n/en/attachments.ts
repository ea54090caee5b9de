// Attaching files: each is encrypted on this device, piece by piece, and uploaded as it goes.
export const attachments = {
  title: 'Add files (optional)',
  intro:
    'You can attach documents, photos or recordings that support your report. Each file is encrypted on this device before any of it is sent.',
  metadataTitle: 'Files can give you away',
  metadata: [
    'Photos often record the phone that took them, the time and the place. Documents often record the author’s name, the computer and editing history.',
    'Candour does not remove this hidden information. Before attaching a file, think about whether it, or its contents, could point to you.',
    'A file only a few people had access to can identify you even without any hidden information.',
  ],
  choose: 'Choose files',
  chooseHint: 'You can choose several files. Each one is sent in pieces of 1 MB, so a large file can resume if your connection drops.',
  listTitle: 'Your files',
  none: 'No files added. This step is optional.',
  size: (text: string) => `Size: ${text}`,
  progress: (done: number, total: number) => `Encrypted and sent ${done} of ${total} pieces.`,
  status: {
    queued: 'Waiting',
    uploading: 'Encrypting and sending…',
    retrying: (seconds: number) => `Connection problem: trying again in ${seconds} seconds…`,
    paused: 'Paused after a connection problem.',
    done: 'Finished: this file will go with your report.',
    cancelled: 'Cancelled',
    failed: 'Could not be sent',
  },
  resume: (name: string) => `Resume ${name}`,
  cancel: (name: string) => `Cancel ${name}`,
  remove: (name: string) => `Remove ${name}`,
  cancelledNote: 'Pieces already sent are unreadable without your key, and the server deletes unfinished uploads after a few days.',
  waitForUploads: 'Wait until every file has been sent (or remove it) before you continue.',
  continue: 'Continue to check and send',
} as const;
