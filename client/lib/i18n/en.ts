// The English (New Zealand) catalogue: every word of the discloser pages. Plain language for
// someone frightened, in a hurry, perhaps on a phone; each part lives beside the page it serves.
import { attachments } from './en/attachments.ts';
import { common } from './en/common.ts';
import { form } from './en/form.ts';
import { mailbox } from './en/mailbox.ts';
import { problems } from './en/problems.ts';
import { receiver } from './en/receiver.ts';
import { review, sent } from './en/review.ts';
import { start } from './en/start.ts';

export const en = { common, start, receiver, form, attachments, review, sent, mailbox, problems } as const;
