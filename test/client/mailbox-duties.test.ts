// The s 13 duties in the mailbox, from fixtures of the API contract shared with the server
// (duties, timeframe, section14): each duty in the Act's order with its state in plain terms, the
// s 13(2) timeframe, and the s 14 explanation only when the server says a duty is overdue. When
// the fields are absent or malformed, nothing is derived and the older due dates are shown.
import { describe, expect, it } from 'vitest';
import type { CaseDuty, MailboxCase } from '../../client/lib/api/discloser-api.ts';
import { dutiesView } from '../../client/lib/mailbox/duties.ts';

const base: MailboxCase = {
  id: '11111111-1111-4111-8111-111111111111',
  disclosureId: '11111111-1111-4111-8111-111111111111',
  organisationId: '22222222-2222-4222-8222-222222222222',
  organisationName: 'Ministry of Examples',
  origin: 'direct',
  sourceCaseId: null,
  status: 'acknowledged',
  receivedOn: '2026-03-02',
  dueDates: { received: '2026-03-02', due: '2026-03-30', duties: [] },
  events: [],
  messageCount: 0,
};

const duty = (name: CaseDuty['duty'], provision: string, metOn: string | null, overdue: boolean, due = '2026-03-30'): CaseDuty => ({ duty: name, provision, due, metOn, overdue });

/** The server's answer for a case acknowledged on time, with the rest overdue. */
const late: MailboxCase = {
  ...base,
  duties: [
    duty('inform', 's 13(1)(e)', null, true),
    duty('acknowledge', 's 13(1)(a)', '2026-03-03', false),
    duty('consider', 's 13(1)(b)', '2026-04-02', false),
    duty('check-elsewhere', 's 13(1)(c)', null, true),
    duty('deal-with', 's 13(1)(d)', null, true),
  ],
  timeframe: null,
  section14: true,
};

describe('the s 13 duties in the mailbox', () => {
  it('lists every duty in the Act’s order, each met, met late, overdue or pending as the server says', () => {
    const view = dutiesView(late);
    expect(view.kind).toBe('tracked');
    if (view.kind !== 'tracked') return;
    expect(view.lines.map((l) => [l.duty, l.provision, l.state])).toEqual([
      ['acknowledge', 's 13(1)(a)', 'met'],
      ['consider', 's 13(1)(b)', 'met-late'],
      ['check-elsewhere', 's 13(1)(c)', 'overdue'],
      ['deal-with', 's 13(1)(d)', 'overdue'],
      ['inform', 's 13(1)(e)', 'overdue'],
    ]);
    expect(view.section14).toBe(true);
  });

  it('shows the s 13(2) timeframe and no s 14 explanation while nothing is overdue', () => {
    const view = dutiesView({
      ...base,
      duties: [
        duty('acknowledge', 's 13(1)(a)', '2026-03-03', false),
        duty('consider', 's 13(1)(b)', '2026-03-20', false),
        duty('check-elsewhere', 's 13(1)(c)', '2026-03-20', false),
        duty('deal-with', 's 13(1)(d)', null, false, '2026-06-30'),
        duty('inform', 's 13(1)(e)', null, false, '2026-06-30'),
      ],
      timeframe: { expectedBy: '2026-06-30', notifiedOn: '2026-03-25' },
      section14: false,
    });
    expect(view).toMatchObject({ kind: 'tracked', section14: false, timeframe: { expectedBy: '2026-06-30', notifiedOn: '2026-03-25' } });
    if (view.kind === 'tracked') expect(view.lines.map((l) => l.state)).toEqual(['met', 'met', 'met', 'pending', 'pending']);
  });

  it('does not call a duty overdue on its own reckoning: only the server’s flag counts', () => {
    const view = dutiesView({ ...base, duties: [duty('acknowledge', 's 13(1)(a)', null, false, '2000-01-01')], timeframe: null, section14: false });
    expect(view.kind === 'tracked' && view.lines[0]!.state).toBe('pending');
  });

  it('derives nothing when the fields are absent (a server without duty tracking)', () => {
    expect(dutiesView(base)).toEqual({ kind: 'untracked' });
    expect(dutiesView({ ...base, duties: [] })).toEqual({ kind: 'untracked' });
  });

  it('falls back to the older view when the fields are not in the agreed shape', () => {
    const bad: unknown[] = [
      { ...late, duties: [{ ...late.duties![0], duty: 'apologise' }] },
      { ...late, duties: [{ ...late.duties![0], due: '30/03/2026' }] },
      { ...late, duties: [{ ...late.duties![0], overdue: 'yes' }] },
      { ...late, duties: 'all done' },
      { ...late, timeframe: { expectedBy: 'soon', notifiedOn: '2026-03-25' } },
    ];
    for (const item of bad) expect(dutiesView(item as MailboxCase)).toEqual({ kind: 'untracked' });
  });

  it('treats anything but section14 === true as no s 14 explanation', () => {
    const view = dutiesView({ ...late, section14: 'true' as unknown as boolean });
    expect(view.kind === 'tracked' && view.section14).toBe(false);
  });
});
