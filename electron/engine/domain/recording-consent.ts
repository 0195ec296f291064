/**
 * US states whose wiretap laws require every party's consent to record a call (the caller's state
 * decides here, the stricter reading when the two parties are in different states). Sources:
 * - CA: Cal. Penal Code § 632
 * - FL: Fla. Stat. § 934.03
 * - IL: 720 ILCS 5/14-2
 * - MD: Md. Code, Cts. & Jud. Proc. § 10-402
 * - MA: Mass. Gen. Laws ch. 272, § 99
 * - MI: Mich. Comp. Laws § 750.539c
 * - MT: Mont. Code Ann. § 45-8-213
 * - NV: Nev. Rev. Stat. § 200.620 (telephone calls; Lane v. Allstate, 114 Nev. 1176 (1998))
 * - NH: N.H. Rev. Stat. § 570-A:2
 * - PA: 18 Pa. Cons. Stat. § 5703
 * - WA: Wash. Rev. Code § 9.73.030
 */
export const ALL_PARTY_CONSENT_STATES = ['CA', 'FL', 'IL', 'MD', 'MA', 'MI', 'MT', 'NV', 'NH', 'PA', 'WA'] as const;
export type AllPartyConsentState = (typeof ALL_PARTY_CONSENT_STATES)[number];

/** Geographic area codes of those states (NANPA assignments, overlays included). */
const AREA_CODES: Record<AllPartyConsentState, string> = {
  CA: '209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 837 840 858 909 916 925 949 951',
  FL: '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954',
  IL: '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872',
  MD: '227 240 301 410 443 667',
  MA: '339 351 413 508 617 774 781 857 978',
  MI: '231 248 269 313 517 586 616 679 734 810 906 947 989',
  MT: '406',
  NV: '702 725 775',
  NH: '603',
  PA: '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878',
  WA: '206 253 360 425 509 564',
};

let byAreaCode: Map<string, AllPartyConsentState> | undefined;

/** The all-party-consent state of a +1 number's area code, or null. */
export function allPartyStateOfNumber(phoneE164: string): AllPartyConsentState | null {
  const match = /^\+1(\d{3})\d{7}$/.exec(phoneE164.replace(/[\s\-()]/g, ''));
  if (!match) return null;
  if (!byAreaCode) {
    byAreaCode = new Map();
    for (const [state, codes] of Object.entries(AREA_CODES)) for (const code of codes.split(' ')) byAreaCode.set(code, state as AllPartyConsentState);
  }
  return byAreaCode.get(match[1]!) ?? null;
}

export type ConsentMode = 'by-state' | 'always-ask';

/**
 * Whether the caller is asked before the call is recorded: always when the campaign says so (it
 * may only be stricter), else when the contact's known state or their number's area code is in an
 * all-party-consent state.
 */
export function consentRequirement(input: { mode: ConsentMode; phoneE164: string; state?: string | null }): { ask: boolean; why: string } {
  if (input.mode === 'always-ask') return { ask: true, why: 'the campaign always asks' };
  const known = input.state?.trim().toUpperCase();
  if (known && (ALL_PARTY_CONSENT_STATES as readonly string[]).includes(known)) return { ask: true, why: `the contact is in ${known}, an all-party-consent state` };
  const byNumber = allPartyStateOfNumber(input.phoneE164);
  if (byNumber) return { ask: true, why: `the number's area code is in ${byNumber}, an all-party-consent state` };
  return { ask: false, why: 'one-party consent applies; the disclosure says the call may be recorded' };
}

export const CONSENT_QUESTION = 'Is it OK if this call is recorded?';

const NEGATIVE = /\b(no|nope|nah|don'?t|do not|not ok(ay)?|rather not|prefer not|i object|not really|never)\b/;
const NOT_NEGATIVE = /\b(no problem|not a problem|no worries|don'?t mind|do not mind|no objection)\b/g;
const AFFIRMATIVE = /\b(yes|yeah|yep|yup|sure|ok(ay)?|fine|of course|go ahead|that'?s alright|alright|all right|absolutely|certainly|i agree|i consent|no problem|not a problem|no worries|don'?t mind|do not mind|no objection)\b/;

/** A caller's answer to CONSENT_QUESTION: only a clear yes (and no sign of a no) counts as yes. */
export function readConsentAnswer(text: string): 'yes' | 'no' | 'unclear' {
  const t = text.toLowerCase().replace(/[’]/g, "'");
  if (NEGATIVE.test(t.replace(NOT_NEGATIVE, ' '))) return 'no';
  return AFFIRMATIVE.test(t) ? 'yes' : 'unclear';
}
