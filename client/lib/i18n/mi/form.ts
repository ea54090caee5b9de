// te reo Māori: form (mirrors ../en/form.ts). Every untranslated(…) still holds the English
// text and awaits a fluent speaker; see docs/guide-discloser.md, "Completing te reo Māori".
import { untranslated } from './untranslated.ts';
// officer console reads, so never rename one.
export const form = {
  title: untranslated('Tell us what happened'),
  intro:
    untranslated('Answer in your own words. Only the first question is required. Leave out anything that would identify you unless you want it known. Everything stays on this device until you send it.'),
  memoryNote: untranslated('What you type is kept only in this open page. It is not saved in your browser, so if you close the tab it is gone.'),
  questions: {
    what: {
      label: untranslated('What happened?'),
      hint: untranslated('Describe the wrongdoing: what was done, and why you think it is serious.'),
    },
    when: {
      label: untranslated('When did it happen?'),
      hint: untranslated('A date, a period, or whether it is still going on. “Since early 2025, still happening” is fine.'),
    },
    where: {
      label: untranslated('Where did it happen?'),
      hint: untranslated('Which part of the organisation, office, site or project.'),
    },
    who: {
      label: untranslated('Who is involved?'),
      hint: untranslated('Names or roles of the people involved, if you know them.'),
    },
    how: {
      label: untranslated('How do you know about it?'),
      hint: untranslated('For example: you saw it, you were told, you saw documents. Think about whether this could identify you.'),
    },
    elsewhere: {
      label: untranslated('Have you raised this anywhere else?'),
      hint: untranslated('For example with a manager, another organisation or the Ombudsman, and what happened. The organisation must ask you this.'),
    },
    outcome: {
      label: untranslated('What would you like to happen?'),
      hint: untranslated('For example: an investigation, the wrongdoing to stop, to be kept informed.'),
    },
  },
  whatRequired: untranslated('Describe what happened before you continue.'),
  tooLong: untranslated((max: string) => `This answer is too long: keep it under ${max} characters.`),
  identity: {
    title: untranslated('Your identity (optional)'),
    intro:
      untranslated('You can stay anonymous. If you give your name or contact details, they are locked separately from the rest of your report.'),
    who:
      untranslated('Officers can read your report, but not this section. An officer can open it only after recording a reason the law allows (for example, because it is essential to investigate), and every such opening is recorded. The Act says the organisation should talk to you before it shares your identity, and you will be told.'),
    include: untranslated('I want to include my name or contact details'),
    name: { label: untranslated('Your name'), hint: untranslated('') },
    role: { label: untranslated('Your role or relationship to the organisation'), hint: untranslated('For example: employee, former contractor, volunteer.') },
    contact: {
      label: untranslated('How can they contact you?'),
      hint: untranslated('A personal email address or phone number, never a work one. You can also leave this empty and use your mailbox to talk.'),
    },
    notes: { label: untranslated('Anything else they should know before contacting you'), hint: untranslated('') },
  },
  continue: untranslated('Continue to files'),
};
