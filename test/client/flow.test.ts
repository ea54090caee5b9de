// The report flow's rules: nobody reaches "send" without a receiver and an answer, nobody edits a
// report while it is being sent, and only what was typed goes into the sealed body.
import { describe, expect, it } from 'vitest';
import {
  allowedStep,
  answersToSeal,
  emptyAnswers,
  emptyIdentity,
  type FlowFacts,
  identityToSeal,
  isLocked,
  MAX_ANSWER_CHARS,
  nextStep,
  previousStep,
  REPORT_STEPS,
  type SendPhase,
  stepNumber,
  validateForm,
} from '../../client/lib/flow.ts';

const ready: FlowFacts = {
  receiverChosen: true,
  answers: { ...emptyAnswers(), what: 'Money went missing' },
  uploadsSettled: true,
  sendPhase: 'idle',
};

describe('steps', () => {
  it('run start → receiver → form → attachments → review → sent, numbered from 1', () => {
    expect(REPORT_STEPS).toEqual(['start', 'receiver', 'form', 'attachments', 'review', 'sent']);
    expect(stepNumber('start')).toBe(1);
    expect(stepNumber('sent')).toBe(6);
    expect(nextStep('form')).toBe('attachments');
    expect(nextStep('sent')).toBeUndefined();
    expect(previousStep('receiver')).toBe('start');
    expect(previousStep('start')).toBeUndefined();
  });
});

describe('allowedStep', () => {
  it.each([
    ['form', { receiverChosen: false }, 'receiver'],
    ['review', { receiverChosen: false }, 'receiver'],
    ['attachments', { answers: { ...emptyAnswers(), what: '   ' } }, 'form'],
    ['review', { answers: emptyAnswers() }, 'form'],
    ['review', { uploadsSettled: false }, 'attachments'],
    ['sent', {}, 'review'],
    ['start', { receiverChosen: false }, 'start'],
    ['receiver', { receiverChosen: false }, 'receiver'],
    ['review', {}, 'review'],
  ] as const)('sends a request for %s with %o to %s', (wanted, change, expected) => {
    expect(allowedStep(wanted, { ...ready, ...change })).toBe(expected);
  });

  it.each(['sealing', 'pow', 'posting', 'retrying', 'ambiguous'] as const)('keeps the person on review while the send is %s', (phase) => {
    for (const wanted of ['start', 'receiver', 'form', 'attachments'] as const) {
      expect(allowedStep(wanted, { ...ready, sendPhase: phase })).toBe('review');
    }
  });

  it('shows the code page, and only it, once the report is sent', () => {
    for (const wanted of REPORT_STEPS) expect(allowedStep(wanted, { ...ready, sendPhase: 'sent' })).toBe('sent');
  });

  it('lets the person edit again after a definite refusal', () => {
    expect(allowedStep('form', { ...ready, sendPhase: 'failed' })).toBe('form');
  });
});

describe('isLocked', () => {
  it.each<[SendPhase, boolean]>([
    ['idle', false],
    ['failed', false],
    ['sealing', true],
    ['pow', true],
    ['posting', true],
    ['retrying', true],
    ['ambiguous', true],
    ['sent', true],
  ])('%s → %s', (phase, locked) => {
    expect(isLocked(phase)).toBe(locked);
  });
});

describe('validateForm', () => {
  const noIdentity = { include: false, fields: emptyIdentity() };

  it('requires "what happened" and nothing else', () => {
    expect(validateForm(emptyAnswers(), noIdentity)).toEqual({ what: 'required' });
    expect(validateForm({ ...emptyAnswers(), what: ' \n ' }, noIdentity)).toEqual({ what: 'required' });
    expect(validateForm({ ...emptyAnswers(), what: 'x' }, noIdentity)).toEqual({});
  });

  it('refuses answers longer than the limit, in the form and (only when included) the identity section', () => {
    const long = 'a'.repeat(MAX_ANSWER_CHARS + 1);
    expect(validateForm({ ...emptyAnswers(), what: 'x', who: long }, noIdentity)).toEqual({ who: 'tooLong' });
    const identity = { ...emptyIdentity(), contact: long };
    expect(validateForm({ ...emptyAnswers(), what: 'x' }, { include: false, fields: identity })).toEqual({});
    expect(validateForm({ ...emptyAnswers(), what: 'x' }, { include: true, fields: identity })).toEqual({ contact: 'tooLong' });
  });
});

describe('what is sealed', () => {
  it('keeps only answered questions, trimmed', () => {
    expect(answersToSeal({ ...emptyAnswers(), what: '  It happened \n', where: ' ', outcome: 'Stop it' })).toEqual({ what: 'It happened', outcome: 'Stop it' });
  });

  it('sends no identity section unless the person chose to and wrote something', () => {
    expect(identityToSeal({ include: false, fields: { ...emptyIdentity(), name: 'Aroha' } })).toBeUndefined();
    expect(identityToSeal({ include: true, fields: emptyIdentity() })).toBeUndefined();
    expect(identityToSeal({ include: true, fields: { ...emptyIdentity(), name: ' Aroha ', contact: '' } })).toEqual({ name: 'Aroha' });
  });
});
