// "Save as a text file": a Blob made on this device and handed to the browser's download, so the
// code never travels over the network. The object URL is revoked soon after, and at once when
// the mailbox locks (`revokeSavedFiles`), so a decrypted file does not outlive the session.
const live = new Set<string>();

export function saveTextFile(fileName: string, text: string): void {
  saveBlob(fileName, new Blob([text], { type: 'text/plain;charset=utf-8' }));
}

/** Hands a Blob made on this device to the browser's download (a decrypted file, the code). */
export function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  live.add(url);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later than a text file needs: a large Blob can take a moment to start saving.
  setTimeout(() => revoke(url), 60_000);
}

function revoke(url: string): void {
  URL.revokeObjectURL(url);
  live.delete(url);
}

/** Drops every object URL still open (the browser keeps saving what it has started). */
export function revokeSavedFiles(): void {
  for (const url of [...live]) revoke(url);
}
