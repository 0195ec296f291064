import { describe, expect, it } from 'vitest';
import { NO_FACTS, outcomeInWords } from '../../../electron/engine/supervision/outcome-words';

const time = (iso: string) => `at ${iso}`;

describe('an ended call’s outcome in words', () => {
  it('says what happened, never an internal code', () => {
    expect(outcomeInWords({ ...NO_FACTS, personRequested: true, wait: { end: 'timed-out', by: null, target: null }, callback: { when: 'tomorrow at ten' } }, 'completed', time)).toBe(
      'Transfer requested, nobody was free, callback booked for tomorrow at ten',
    );
    expect(outcomeInWords({ ...NO_FACTS, doNotCall: true }, 'completed', time)).toBe('Asked not to be called');
    expect(outcomeInWords({ ...NO_FACTS, personRequested: true, wait: { end: 'caller-hung-up', by: null, target: null } }, 'completed', time)).toBe('Hung up waiting for a person');
    expect(outcomeInWords({ ...NO_FACTS, personRequested: true, wait: { end: 'transferred', by: 'Dana', target: '2001' } }, 'completed', time)).toBe('Transferred to 2001 by Dana');
    expect(outcomeInWords({ ...NO_FACTS, personRequested: true }, 'completed', time)).toBe('Transfer requested');
    expect(outcomeInWords({ ...NO_FACTS, supervisorCallback: 'T10', endedBy: 'Lee' }, 'completed', time)).toBe('Callback set for at T10, ended by Lee');
    expect(outcomeInWords(NO_FACTS, 'no-answer', time)).toBe('Not answered');
    expect(outcomeInWords(NO_FACTS, 'completed', time)).toBe('Completed');
  });
});
