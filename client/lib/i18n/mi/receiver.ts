// te reo Māori: receiver (mirrors ../en/receiver.ts). Every untranslated(…) still holds the English
// text and awaits a fluent speaker; see docs/guide-discloser.md, "Completing te reo Māori".
import { untranslated } from './untranslated.ts';
export const receiver = {
  title: untranslated('Who do you want to tell?'),
  intro:
    untranslated('You can tell the organisation where the wrongdoing is happening, or an appropriate authority. Only the officers that organisation has named, and its recovery key, can read what you send.'),
  loading: untranslated('Fetching and checking the list of organisations…'),
  verifiedNote: untranslated('Every organisation below has been checked: its keys are signed by the Candour operator’s root key built into this page.'),
  demoRootNote:
    untranslated('Demo site: the root key used for this check was fetched from this server rather than built into the page, so the check only shows the list is internally consistent. It does not protect you against whoever runs this server.'),
  search: untranslated('Search by name'),
  searchHint: untranslated('Type part of the organisation’s name.'),
  noMatch: untranslated((query: string) => `No organisation matches “${query}”. Try a shorter or different word, or choose an appropriate authority below.`),
  authoritiesTitle: untranslated('Appropriate authorities (independent)'),
  authoritiesWhen: untranslated('Choose an appropriate authority, such as the Ombudsman, if:'),
  authoritiesReasons: [
    untranslated('the wrongdoing involves the leaders of the organisation you would otherwise tell, or the people who would receive your report;'),
    untranslated('you have already told the organisation and nothing happened, or you were treated badly for it;'),
    untranslated('you fear a cover-up or being punished;'),
    untranslated('you are not sure who to tell. An authority can advise you and pass your report on.'),
  ],
  agenciesTitle: untranslated('Organisations'),
  agenciesHint: untranslated('Usually the organisation where the wrongdoing is happening.'),
  chooseLegend: untranslated('Choose one'),
  officers: untranslated((count: number) => (count === 1 ? '1 officer can read reports' : `${count} officers can read reports`)),
  fingerprintTitle: untranslated('Check this organisation’s fingerprint'),
  fingerprintLabel: untranslated('Fingerprint:'),
  fingerprintHow:
    untranslated('The fingerprint is a short summary of the organisation’s key. If you want to be sure nobody has swapped it, compare it with the fingerprint the organisation publishes on its own website, or ask it by phone from a phone that is not a work phone. They should match exactly.'),
  chooseError: untranslated('Choose who you want to tell.'),
  stopTitle: untranslated('We stopped because the list of organisations could not be trusted'),
  stopDetail:
    untranslated('The list this server sent did not pass the security check, so sending a report now could expose it to the wrong people. Nothing has been sent.'),
  stopNext:
    untranslated('Try again later, or from another network (for example with Tor Browser). If it keeps happening, contact the Ombudsman another way and do not use this site.'),
  stopReason: untranslated('What failed:'),
  none: untranslated('No organisation is accepting reports here yet.'),
};
