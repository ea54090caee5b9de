// te reo Māori: attachments (mirrors ../en/attachments.ts). Every untranslated(…) still holds the English
// text and awaits a fluent speaker; see docs/guide-discloser.md, "Completing te reo Māori".
import { untranslated } from './untranslated.ts';
export const attachments = {
  title: untranslated('Add files (optional)'),
  intro:
    untranslated('You can attach documents, photos or recordings that support your report. Each file is encrypted on this device before any of it is sent.'),
  metadataTitle: untranslated('Files can give you away'),
  metadata: [
    untranslated('Photos often record the phone that took them, the time and the place. Documents often record the author’s name, the computer and editing history.'),
    untranslated('From JPEG, PNG and WebP pictures, Candour removes this hidden information on this device, before encryption, and tells you below what it removed. It cannot clean other files, such as PDFs, office documents, other picture formats, sound or video: before attaching one, think about whether it, or its contents, could point to you.'),
    untranslated('A file only a few people had access to can identify you even without any hidden information.'),
  ],
  choose: untranslated('Choose files'),
  chooseHint: untranslated('You can choose several files. Each one is sent in pieces of 1 MB, so a large file can resume if your connection drops.'),
  listTitle: untranslated('Your files'),
  none: untranslated('No files added. This step is optional.'),
  size: untranslated((text: string) => `Size: ${text}`),
  progress: untranslated((done: number, total: number) => `Encrypted and sent ${done} of ${total} pieces.`),
  status: {
    queued: untranslated('Waiting'),
    uploading: untranslated('Encrypting and sending…'),
    retrying: untranslated((seconds: number) => `Connection problem: trying again in ${seconds} seconds…`),
    paused: untranslated('Paused after a connection problem.'),
    done: untranslated('Finished: this file will go with your report.'),
    doneWithMessage: untranslated('Finished: this file will go with your message.'),
    cancelled: untranslated('Cancelled'),
    failed: untranslated('Could not be sent'),
  },
  resume: untranslated((name: string) => `Resume ${name}`),
  cancel: untranslated((name: string) => `Cancel ${name}`),
  remove: untranslated((name: string) => `Remove ${name}`),
  cancelledNote: untranslated('Pieces already sent are unreadable without your key, and the server deletes unfinished uploads after a few days.'),
  waitForUploads: untranslated('Wait until every file has been sent (or remove it) before you continue.'),
  continue: untranslated('Continue to check and send'),
  cleaning: {
    removedIntro: untranslated('Removed from this picture before encryption:'),
    kinds: {
      exif: untranslated('camera details (EXIF: make, model, serial number, settings, dates)'),
      xmp: untranslated('editing details (XMP: software, history, sometimes the author)'),
      iptc: untranslated('captions, author and place names (IPTC)'),
      comment: untranslated('comments written into the file'),
      thumbnail: untranslated('a small preview copy, which may show the picture before it was cropped or edited'),
      iccProfile: untranslated('the colour profile, which can name the device or software'),
      extraImages: untranslated('extra pictures stored in the same file (previews, depth maps)'),
      appData: untranslated('other programs’ private data'),
      text: untranslated('text notes'),
      time: untranslated('the time it was last changed'),
      trailer: untranslated('data hidden after the end of the picture'),
    },
    textNames: untranslated((names: string) => `text notes (${names})`),
    location: untranslated('The camera details included the place the picture was taken (a GPS position). It has been removed.'),
    orientationKept: untranslated('Only the picture’s rotation was kept, so it still shows the right way up.'),
    orientationLost: untranslated('The picture’s rotation was removed with the rest, so it may appear turned on its side.'),
    nothingFound: untranslated('No hidden information was found in this picture.'),
    malformedTitle: untranslated('This picture could not be checked'),
    malformed:
      untranslated('Parts of this picture are not laid out as its format requires, so nothing was removed and it will be sent exactly as it is. It may still hold hidden information such as where it was taken. If that matters, remove it, and attach a screenshot of it instead.'),
    tooLarge: untranslated('This picture is too large to clean on this device (more than 64 MB), so it will be sent as it is, with any hidden information it holds.'),
    advice: {
      pdf: untranslated('PDF files can record the author’s name, the program and computer used, dates, and earlier versions of the text. Candour cannot remove this. If that matters, print the document to a new PDF or take screenshots, and attach those instead.'),
      office:
        untranslated('Office documents can record the author’s name, the organisation the software is licensed to, tracked changes, comments and earlier versions. Candour cannot remove this. If that matters, use the program’s “inspect document” or “remove personal information” option, or save a copy as PDF printed from it.'),
      image:
        untranslated('This kind of picture can hold the camera, the time and the place it was taken, and Candour cannot clean it. If that matters, take a screenshot of it and attach that instead (screenshots are PNG files, which Candour cleans).'),
      media: untranslated('Sound and video files can hold the device, the time and the place they were recorded, and Candour cannot remove this. Think about whether that could point to you.'),
    },
  },
};
