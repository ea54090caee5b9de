// The report flow as plain data and functions, so its rules are unit-tested without a browser:
// which step comes next, which steps may be entered given what is filled in, and when the report
// is locked against edits (from the first send attempt, so a retry is byte-for-byte the same
// request and the server can recognise it instead of storing a second copy).

export const REPORT_STEPS = ['start', 'receiver', 'form', 'attachments', 'review', 'sent'] as const;
export type ReportStep = (typeof REPORT_STEPS)[number];
export type Page = ReportStep | 'done' | 'mailbox-login' | 'mailbox';

/** Question ids of the guided form, in the order asked. Stable: they key the encrypted answers. */
export const QUESTION_IDS = ['what', 'when', 'where', 'who', 'how', 'elsewhere', 'outcome'] as const;
export type QuestionId = (typeof QUESTION_IDS)[number];
export const IDENTITY_FIELDS = ['name', 'role', 'contact', 'notes'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

/** Longest answer accepted per field, in characters (the sealed body is capped by the server). */
export const MAX_ANSWER_CHARS = 20_000;

export type SendPhase = 'idle' | 'sealing' | 'pow' | 'posting' | 'retrying' | 'ambiguous' | 'failed' | 'sent';

export interface FlowFacts {
  readonly receiverChosen: boolean;
  readonly answers: Readonly<Record<QuestionId, string>>;
  /** Every attachment finished uploading or was removed. */
  readonly uploadsSettled: boolean;
  readonly sendPhase: SendPhase;
}

export function stepNumber(step: ReportStep): number {
  return REPORT_STEPS.indexOf(step) + 1;
}

export function nextStep(step: ReportStep): ReportStep | undefined {
  return REPORT_STEPS[REPORT_STEPS.indexOf(step) + 1];
}

export function previousStep(step: ReportStep): ReportStep | undefined {
  const index = REPORT_STEPS.indexOf(step);
  return index > 0 ? REPORT_STEPS[index - 1] : undefined;
}

/** True from the first send attempt until the report is sent (or definitely refused). */
export function isLocked(phase: SendPhase): boolean {
  return phase !== 'idle' && phase !== 'failed';
}

export type FormErrors = Partial<Record<QuestionId | IdentityField, 'required' | 'tooLong'>>;

export function validateForm(
  answers: Readonly<Record<QuestionId, string>>,
  identity: { readonly include: boolean; readonly fields: Readonly<Record<IdentityField, string>> },
): FormErrors {
  const errors: FormErrors = {};
  if (answers.what.trim() === '') errors.what = 'required';
  for (const id of QUESTION_IDS) if (answers[id].length > MAX_ANSWER_CHARS) errors[id] = 'tooLong';
  if (identity.include) for (const id of IDENTITY_FIELDS) if (identity.fields[id].length > MAX_ANSWER_CHARS) errors[id] = 'tooLong';
  return errors;
}

/**
 * The step a person may actually see when asking for `wanted`: the first earlier step whose
 * requirement is unmet, so nobody reaches "send" without a receiver or an answer, and nobody
 * goes back into the form while a send is under way.
 */
export function allowedStep(wanted: ReportStep, facts: FlowFacts): ReportStep {
  if (facts.sendPhase === 'sent') return 'sent';
  if (wanted === 'sent') return 'review';
  if (isLocked(facts.sendPhase)) return 'review';
  const target = REPORT_STEPS.indexOf(wanted);
  if (target >= REPORT_STEPS.indexOf('form') && !facts.receiverChosen) return 'receiver';
  if (target >= REPORT_STEPS.indexOf('attachments') && facts.answers.what.trim() === '') return 'form';
  if (target >= REPORT_STEPS.indexOf('review') && !facts.uploadsSettled) return 'attachments';
  return wanted;
}

/** Only answered questions go into the sealed body; blank ones say nothing. */
export function answersToSeal(answers: Readonly<Record<QuestionId, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of QUESTION_IDS) if (answers[id].trim() !== '') out[id] = answers[id].trim();
  return out;
}

/** The identity section, or undefined when the person stays anonymous or left it all blank. */
export function identityToSeal(identity: {
  readonly include: boolean;
  readonly fields: Readonly<Record<IdentityField, string>>;
}): Record<string, string> | undefined {
  if (!identity.include) return undefined;
  const out: Record<string, string> = {};
  for (const id of IDENTITY_FIELDS) if (identity.fields[id].trim() !== '') out[id] = identity.fields[id].trim();
  return Object.keys(out).length > 0 ? out : undefined;
}

export function emptyAnswers(): Record<QuestionId, string> {
  return { what: '', when: '', where: '', who: '', how: '', elsewhere: '', outcome: '' };
}

export function emptyIdentity(): Record<IdentityField, string> {
  return { name: '', role: '', contact: '', notes: '' };
}
