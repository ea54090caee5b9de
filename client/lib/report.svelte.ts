// Everything the discloser has typed or chosen, held in this page's memory only (Svelte state):
// never in browser storage, cookies or the URL. Closing the tab forgets it; `clear()` forgets it
// on purpose once the report has been sent and the code confirmed.
import type { DisclosureReceipt } from './api/discloser-api.ts';
import { Upload } from './attachments/upload.svelte.ts';
import type { Receiver, TrustedDirectory } from './directory.ts';
import type { Problem } from './errors.ts';
import { allowedStep, emptyAnswers, emptyIdentity, type Page, REPORT_STEPS, type ReportStep, type SendPhase } from './flow.ts';
import type { PreparedSubmission } from './submission.ts';

function isReportStep(page: Page): page is ReportStep {
  return (REPORT_STEPS as readonly string[]).includes(page);
}

export class ReportState {
  page: Page = $state('start');
  directory: TrustedDirectory | undefined = $state.raw(undefined);
  receiver: Receiver | undefined = $state.raw(undefined);
  answers = $state(emptyAnswers());
  includeIdentity = $state(false);
  identity = $state(emptyIdentity());
  uploads: Upload[] = $state([]);
  sendPhase: SendPhase = $state('idle');
  powAttempts = $state(0);
  retryInSeconds = $state(0);
  problem: Problem | undefined = $state(undefined);
  receipt: DisclosureReceipt | undefined = $state.raw(undefined);
  /** The mailbox code, set only once the server has accepted the report. Secret. */
  code: string | undefined = $state(undefined);
  codeConfirmed = $state(false);
  /** The sealed request, kept so that every resend is identical. Not reactive. */
  prepared: PreparedSubmission | undefined = undefined;
  /** True once the prepared request has been posted at least once (it may have arrived). */
  posted = false;

  get uploadsSettled(): boolean {
    return this.uploads.every((upload) => upload.settled);
  }

  /** Goes to `wanted`, or to the earliest step whose requirement is not met yet. */
  go(wanted: Page): void {
    if (!isReportStep(wanted)) {
      this.page = wanted;
      return;
    }
    this.page = allowedStep(wanted, {
      receiverChosen: this.receiver !== undefined,
      answers: this.answers,
      uploadsSettled: this.uploadsSettled,
      sendPhase: this.sendPhase,
    });
  }

  addFiles(files: Iterable<File>): void {
    for (const file of files) {
      const upload = new Upload(file);
      this.uploads.push(upload);
      void upload.start();
    }
  }

  removeUpload(upload: Upload): void {
    if (upload.busy) upload.cancel();
    this.uploads = this.uploads.filter((u) => u !== upload);
  }

  /** Forgets the whole report: answers, identity, files, code. */
  clear(): void {
    for (const upload of this.uploads) if (upload.busy) upload.cancel();
    this.receiver = undefined;
    this.answers = emptyAnswers();
    this.includeIdentity = false;
    this.identity = emptyIdentity();
    this.uploads = [];
    this.sendPhase = 'idle';
    this.powAttempts = 0;
    this.problem = undefined;
    this.receipt = undefined;
    this.code = undefined;
    this.codeConfirmed = false;
    this.prepared = undefined;
    this.posted = false;
  }
}
