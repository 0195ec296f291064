import { describe, expect, it } from 'vitest';
import { allPartyStateOfNumber, consentRequirement, readConsentAnswer } from '../../../electron/engine/domain/recording-consent';
import { findSensitiveNumbers, luhnValid, redactText, trailingDigits } from '../../../electron/engine/domain/redaction';

describe('redaction of sensitive numbers', () => {
  it('masks a Luhn-valid card number in figures, in groups, and spoken as digit words', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(redactText('My card is 4111 1111 1111 1111, thanks.')).toBe('My card is [card number], thanks.');
    expect(redactText('It is 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1.')).toBe('It is [card number].');
    expect(redactText('four one one one one one one one one one one one one one one one')).toBe('[card number]');
    expect(redactText('5555-5555-5555-4444 expires soon')).toBe('[card number] expires soon');
  });

  it('masks social security numbers and long digit runs, keeps phone numbers, times and short numbers', () => {
    expect(redactText('my social is 123-45-6789')).toBe('my social is [SSN]');
    expect(redactText('account 1234 5678 9012 3')).toBe('account [number]');
    expect(redactText('call me on 555 867 5309 at 3 pm, one moment')).toBe('call me on 555 867 5309 at 3 pm, one moment');
    expect(redactText('not an SSN: 000-12-3456')).toBe('not an SSN: 000-12-3456');
    // A 16-digit run that fails Luhn is still a long run.
    expect(findSensitiveNumbers('4111 1111 1111 1112').map((s) => s.kind)).toEqual(['digits']);
    // A turn that ends in a number may go on in the next one.
    expect(trailingDigits('It is four one one one, 1111.')).toBe(8);
    expect(trailingDigits('1111 and then')).toBe(0);
  });
});

describe('recording consent by jurisdiction', () => {
  it('knows the all-party-consent states by area code, and asks there or when the campaign always asks', () => {
    expect(allPartyStateOfNumber('+14155550100')).toBe('CA');
    expect(allPartyStateOfNumber('+12155550100')).toBe('PA');
    expect(allPartyStateOfNumber('+12125550100')).toBeNull(); // New York: one-party
    expect(allPartyStateOfNumber('+442071838750')).toBeNull();
    expect(consentRequirement({ mode: 'by-state', phoneE164: '+13125550100' }).ask).toBe(true);
    expect(consentRequirement({ mode: 'by-state', phoneE164: '+12125550100' }).ask).toBe(false);
    expect(consentRequirement({ mode: 'by-state', phoneE164: '+12125550100', state: 'wa' }).ask).toBe(true);
    expect(consentRequirement({ mode: 'always-ask', phoneE164: '+12125550100' }).ask).toBe(true);
  });

  it('reads only a clear yes as consent', () => {
    expect(readConsentAnswer('Yes, that is fine.')).toBe('yes');
    expect(readConsentAnswer("Sure, I don't mind.")).toBe('yes');
    expect(readConsentAnswer('No problem.')).toBe('yes');
    expect(readConsentAnswer("No, please don't record this.")).toBe('no');
    expect(readConsentAnswer("I'd rather not.")).toBe('no');
    expect(readConsentAnswer('Yes... actually no.')).toBe('no');
    expect(readConsentAnswer('What is this about?')).toBe('unclear');
  });
});
