// The guided form. Question ids are stable: they are the keys of the encrypted answers the
// officer console reads, so never rename one.
export const form = {
  title: 'Tell us what happened',
  intro:
    'Answer in your own words. Only the first question is required. Leave out anything that would identify you unless you want it known. Everything stays on this device until you send it.',
  memoryNote: 'What you type is kept only in this open page. It is not saved in your browser, so if you close the tab it is gone.',
  questions: {
    what: {
      label: 'What happened?',
      hint: 'Describe the wrongdoing: what was done, and why you think it is serious.',
    },
    when: {
      label: 'When did it happen?',
      hint: 'A date, a period, or whether it is still going on. “Since early 2025, still happening” is fine.',
    },
    where: {
      label: 'Where did it happen?',
      hint: 'Which part of the organisation, office, site or project.',
    },
    who: {
      label: 'Who is involved?',
      hint: 'Names or roles of the people involved, if you know them.',
    },
    how: {
      label: 'How do you know about it?',
      hint: 'For example: you saw it, you were told, you saw documents. Think about whether this could identify you.',
    },
    elsewhere: {
      label: 'Have you raised this anywhere else?',
      hint: 'For example with a manager, another organisation or the Ombudsman, and what happened. The organisation must ask you this.',
    },
    outcome: {
      label: 'What would you like to happen?',
      hint: 'For example: an investigation, the wrongdoing to stop, to be kept informed.',
    },
  },
  whatRequired: 'Describe what happened before you continue.',
  tooLong: (max: string) => `This answer is too long: keep it under ${max} characters.`,
  identity: {
    title: 'Your identity (optional)',
    intro:
      'You can stay anonymous. If you give your name or contact details, they are locked separately from the rest of your report.',
    who:
      'Officers can read your report, but not this section. An officer can open it only after recording a reason the law allows (for example, because it is essential to investigate), and every such opening is recorded. The Act says the organisation should talk to you before it shares your identity, and you will be told.',
    include: 'I want to include my name or contact details',
    name: { label: 'Your name', hint: '' },
    role: { label: 'Your role or relationship to the organisation', hint: 'For example: employee, former contractor, volunteer.' },
    contact: {
      label: 'How can they contact you?',
      hint: 'A personal email address or phone number, never a work one. You can also leave this empty and use your mailbox to talk.',
    },
    notes: { label: 'Anything else they should know before contacting you', hint: '' },
  },
  continue: 'Continue to files',
} as const;
