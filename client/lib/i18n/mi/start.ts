// te reo Māori: start (mirrors ../en/start.ts). Every untranslated(…) still holds the English
// text and awaits a fluent speaker; see docs/guide-discloser.md, "Completing te reo Māori".
import { untranslated } from './untranslated.ts';
// Legal summaries follow the Protected Disclosures (Protection of Whistleblowers) Act 2022; they are
// general information, and the page says so.
export const start = {
  title: untranslated('Report serious wrongdoing safely'),
  intro:
    untranslated('Candour lets you tell a public organisation, or an independent authority such as the Ombudsman, about serious wrongdoing you have seen at work. What you write is locked (encrypted) on this device before it is sent, so only the people you choose can read it.'),
  safety: {
    title: untranslated('First, keep yourself safe'),
    points: [
      untranslated('Use your own phone or computer, not one from work. A work device can record everything you type.'),
      untranslated('Use your own internet connection, such as home or mobile data, not your workplace’s network or Wi-Fi. Your employer may see which sites its network visits.'),
      untranslated('Tor Browser hides where you are connecting from. If you can, download it from torproject.org on a personal device and open this site in it.'),
      untranslated('Make sure nobody can see your screen. Use the “Quick exit” button at the top of every page if you need to leave quickly.'),
      untranslated('You do not have to give your name. If you stay anonymous, keep the mailbox code you will be given: it is the only way to read replies.'),
    ],
    learnTitle: untranslated('What the organisation you tell will learn'),
    learns: [
      untranslated('What you write and any files you attach.'),
      untranslated('The date (not the time) your report arrived.'),
      untranslated('Your name and contact details only if you choose to give them, and only after a recorded decision allowed by law, which you will be told about.'),
    ],
    notLearnTitle: untranslated('What it will not learn from Candour'),
    notLearns: [
      untranslated('Your internet address, your device or your browser: Candour does not keep them.'),
      untranslated('The time of day you used this site.'),
      untranslated('Anything you did not choose to write.'),
    ],
  },
  law: {
    title: untranslated('What is a protected disclosure?'),
    intro:
      untranslated('Under the Protected Disclosures (Protection of Whistleblowers) Act 2022, telling the right organisation about serious wrongdoing at your workplace is a protected disclosure. You are protected if you believe on reasonable grounds that there is or may be serious wrongdoing, and you tell it in good faith. You are protected even if you turn out to be mistaken.'),
    whoTitle: untranslated('Who can make one'),
    who: [
      untranslated('employees, and former employees'),
      untranslated('contractors and people on a contract for services'),
      untranslated('secondees and homeworkers'),
      untranslated('volunteers'),
      untranslated('board members and others involved in managing the organisation'),
      untranslated('members of the Armed Forces'),
    ],
    whatTitle: untranslated('What counts as serious wrongdoing'),
    what: [
      untranslated('a crime'),
      untranslated('a serious risk to public health or safety, to anyone’s health or safety, or to the environment'),
      untranslated('a serious risk to the law being upheld, including the investigation of crimes and the right to a fair trial'),
      untranslated('unlawful, corrupt or irregular use of public money or public resources'),
      untranslated('oppressive, unlawfully discriminatory or grossly negligent conduct, or gross mismanagement, by someone working in or for the public sector'),
    ],
    protectionTitle: untranslated('How the law protects you'),
    protection: [
      untranslated('The organisation must do its best to keep your identity confidential. It may share it only in limited cases the Act allows, such as when it is essential to investigate or to prevent a serious risk, and it should talk to you first where it can.'),
      untranslated('Your employer must not punish you for it (for example by dismissing or demoting you). If it does, you can raise a personal grievance.'),
      untranslated('Nobody may treat you worse for it. That is unlawful victimisation under the Human Rights Act.'),
      untranslated('You cannot be sued, prosecuted or disciplined for making it.'),
      untranslated('You can go to an appropriate authority, such as the Ombudsman, at any time, including instead of your own organisation.'),
    ],
    dutiesTitle: untranslated('What the organisation must do'),
    duties:
      untranslated('Within 20 working days it must acknowledge your report, consider it, check with you whether you have reported it elsewhere, and then deal with it and tell you what it is doing. Candour shows you these dates.'),
    notAdvice:
      untranslated('This is general information, not legal advice. The Ombudsman gives free, confidential advice about protected disclosures, and so do Community Law Centres.'),
    links: [
      { text: untranslated('Ombudsman: making a protected disclosure'), href: 'https://www.ombudsman.parliament.nz/' },
      { text: untranslated('Community Law Centres'), href: 'https://communitylaw.org.nz/' },
      { text: untranslated('The Act on legislation.govt.nz'), href: 'https://www.legislation.govt.nz/act/public/2022/0020/latest/' },
    ],
  },
  limits: {
    title: untranslated('What Candour can and cannot protect'),
    canTitle: untranslated('Candour protects'),
    can: [
      untranslated('What you write and attach: it is encrypted on your device, and the people who run Candour cannot read it.'),
      untranslated('Your network address and the time you acted: Candour does not record them, only the date.'),
      untranslated('Your conversation: replies are signed, so you can tell they really come from the organisation, and Candour notices if messages go missing.'),
    ],
    cannotTitle: untranslated('Candour cannot protect you from'),
    cannot: [
      untranslated('A device or browser that is being watched, such as a work laptop, spyware or a browser extension. It sees everything you type.'),
      untranslated('Details that point to you. If only a few people knew something, describing it may reveal who you are. Think about what only you could know.'),
      untranslated('Someone who changes this website. Tor Browser, and checking the organisation’s fingerprint, reduce this risk but cannot remove it.'),
      untranslated('Someone who can watch both your internet connection and Candour’s at the same time. Tor makes this much harder.'),
      untranslated('Losing your mailbox code. It cannot be recovered or reset by anyone.'),
      untranslated('A person who reads your report and then tells others. The law and the organisation’s rules forbid it, and every officer’s access is recorded.'),
    ],
  },
  begin: untranslated('Start a report'),
  haveCode: untranslated('I already have a mailbox code'),
};
