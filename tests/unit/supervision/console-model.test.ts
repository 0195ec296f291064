import { describe, expect, it } from 'vitest';
import type { EngineEvent, LiveCallView } from '../../../electron/contracts';
import { ALL_CAMPAIGNS, applyBoard, applyEvent, applyWaiting, dismissEnded, EMPTY_CONSOLE, liveCampaigns, noticeAfter, visibleCalls, type ConsoleData } from '../../../renderer/src/screens/console/console-model';

function view(callId: string, patch: Partial<LiveCallView> = {}): LiveCallView {
  return {
    callId,
    campaignId: 'spring',
    campaignName: 'Spring service',
    contactId: null,
    contactName: `Contact ${callId}`,
    phone: '+15555550100',
    telephony: 'simulated',
    dryRun: true,
    direction: 'outbound',
    startedAt: new Date(Date.UTC(2026, 0, 1, 9, 0, Number(callId.replace(/\D/g, '')))).toISOString(),
    answeredAt: null,
    line: 'in-call',
    agent: 'listening',
    callerSpeaking: false,
    supervisorSpeaking: false,
    lastLine: null,
    interim: null,
    emotion: null,
    alerts: [],
    controller: null,
    listeners: 0,
    context: null,
    questions: [],
    answers: [],
    ...patch,
  };
}

const board = (n: number): ConsoleData => applyBoard(EMPTY_CONSOLE, Array.from({ length: n }, (_, i) => view(`c${i}`)));
const turn = (callId: string, seq: number, speaker: 'caller' | 'agent', text: string): EngineEvent => ({
  name: 'call.turn',
  payload: { callId, seq, speaker, text, interrupted: false, startedAt: 1_000 + seq, endedAt: 2_000 + seq },
});

describe('console model: one call changes, one call re-renders', () => {
  it('replaces only the changed call’s card and transcript on a transcript line', () => {
    const before = board(50);
    const after = applyEvent(before, turn('c7', 0, 'caller', 'Yes, that sounds good.'));
    expect(after.calls.c7).not.toBe(before.calls.c7);
    expect(after.calls.c7!.lastLine).toMatchObject({ speaker: 'caller', text: 'Yes, that sounds good.' });
    for (let i = 0; i < 50; i++) if (i !== 7) expect(after.calls[`c${i}`]).toBe(before.calls[`c${i}`]);
    expect(after.order).toBe(before.order); // the board's list is untouched
    expect(after.lines.c7).toHaveLength(1);
    expect(after.lines.c3).toBe(before.lines.c3);
  });

  it('shows the agent’s words as it speaks them, then its turn as heard (cut when interrupted)', () => {
    let data = board(1);
    const words = (text: string): EngineEvent => ({ name: 'call.agent-words', payload: { callId: 'c0', utterance: 4, text, at: 1_500 } });
    data = applyEvent(data, words('Hello Jo.'));
    expect(data.calls.c0!.lastLine).toMatchObject({ speaker: 'agent', text: 'Hello Jo.' });
    data = applyEvent(data, words('Hello Jo. This is an automated call.'));
    expect(data.lines.c0!.map((l) => [l.text, l.live])).toEqual([['Hello Jo. This is an automated call.', true]]);
    data = applyEvent(data, { name: 'call.turn', payload: { callId: 'c0', seq: 0, speaker: 'agent', text: 'Hello Jo. This is an', interrupted: true, startedAt: 1, endedAt: 2 } });
    expect(data.lines.c0!.map((l) => [l.text, l.interrupted, l.live ?? false])).toEqual([['Hello Jo. This is an', true, false]]);
  });

  it('keeps one line when a caller turn is sent again, longer, under the same seq', () => {
    let data = applyEvent(board(1), turn('c0', 3, 'caller', 'I would like Tuesday.'));
    data = applyEvent(data, turn('c0', 3, 'caller', 'I would like Tuesday. Actually, Wednesday.'));
    expect(data.lines.c0!.map((l) => l.text)).toEqual(['I would like Tuesday. Actually, Wednesday.']);
  });

  it('returns the same state for events that change nothing shown', () => {
    const before = board(3);
    expect(applyEvent(before, { name: 'call.activity', payload: { callId: 'c1', line: 'in-call', agent: 'listening', callerSpeaking: false, supervisorSpeaking: false } })).toBe(before);
    expect(applyEvent(before, turn('unknown', 0, 'agent', 'hi'))).toBe(before);
    expect(applyEvent(before, { name: 'campaign.deleted', payload: { id: 'x' } })).toBe(before);
  });

  it('shows the caller’s interim words until the final turn, and pairs latency with the agent reply', () => {
    let data = board(1);
    data = applyEvent(data, { name: 'call.interim', payload: { callId: 'c0', text: 'Sure, my number is 5 5 5,' } });
    expect(data.calls.c0!.interim).toBe('Sure, my number is 5 5 5,');
    data = applyEvent(data, turn('c0', 1, 'caller', 'Sure, my number is 5 5 5, 8 6 7.'));
    expect(data.calls.c0!.interim).toBeNull();
    data = applyEvent(data, {
      name: 'call.latency',
      payload: { callId: 'c0', turn: 0, endpointMs: 600, sttMs: 10, llmFirstTokenMs: 5, ttsFirstChunkMs: 80, transportMs: 2, totalMs: 697, endpointReason: 'default' },
    });
    data = applyEvent(data, turn('c0', 2, 'agent', 'Got it.'));
    expect(data.lines.c0!.map((l) => [l.speaker, l.latency?.totalMs ?? null])).toEqual([
      ['caller', null],
      ['agent', 697],
    ]);
    // A duplicate event (reconnect, snapshot overlap) does not duplicate the line.
    expect(applyEvent(data, turn('c0', 2, 'agent', 'Got it.')).lines.c0).toBe(data.lines.c0);
  });

  it('takes a call off the board when it ends and remembers why', () => {
    const data = applyEvent(board(3), { name: 'call.ended', payload: { callId: 'c1', campaignId: 'spring', outcome: 'completed', detail: 'ended by agent: completed', durationMs: 30_000 } });
    expect(data.order).toEqual(['c0', 'c2']);
    expect(data.calls.c1).toBeUndefined();
    // Never the raw code: "Call ended" until the engine's words arrive.
    expect(data.ended.c1).toMatchObject({ outcome: 'Call ended', view: { callId: 'c1' } });
    const worded = applyEvent(data, { name: 'call.concluded', payload: { callId: 'c1', outcome: 'Transfer requested, callback booked for tomorrow at ten', endedAt: '2026-01-01T09:05:00.000Z' } });
    expect(worded.ended.c1!.outcome).toBe('Transfer requested, callback booked for tomorrow at ten');
    expect(worded.ended.c1!.view?.outcome).toBe('Transfer requested, callback booked for tomorrow at ten');
    expect(dismissEnded(worded, 'c1').ended.c1).toBeUndefined();
  });

  it('keeps the waiting-for-a-person queue: a caller joins, one console takes them, the others see who', () => {
    const waiting = { callId: 'c2', campaignId: 'spring', campaignName: 'Spring service', contactName: 'Jo', phone: '+1', reason: 'wants a person', requestedBy: 'the caller', since: 'a', deadline: 'b', recentTurns: [], answers: [], canTransferTo: null, deskPhone: false, takenBy: null };
    let data = applyEvent(board(3), { name: 'call.person-waiting', payload: waiting });
    expect(Object.keys(data.waiting)).toEqual(['c2']);
    data = applyEvent(data, { name: 'call.person-taken', payload: { callId: 'c2', by: 'Dana Reyes', via: 'takeover' } });
    data = applyEvent(data, { name: 'call.person-wait-over', payload: { callId: 'c2', end: 'taken-over', waitedMs: 4_000, detail: '' } });
    expect(data.waiting.c2!.takenBy).toBe('Dana Reyes');
    // A wait that ends otherwise (timed out, hung up) leaves the queue.
    const other = applyEvent(applyEvent(board(3), { name: 'call.person-waiting', payload: { ...waiting, callId: 'c1' } }), { name: 'call.person-wait-over', payload: { callId: 'c1', end: 'caller-hung-up', waitedMs: 9_000, detail: '' } });
    expect(other.waiting).toEqual({});
    expect(applyWaiting(other, [waiting]).waiting.c2).toEqual(waiting);
  });

  it('filters by campaign and alert, and sorts alerts first', () => {
    let data = applyBoard(EMPTY_CONSOLE, [view('c1'), view('c2', { campaignId: 'webinar', campaignName: 'Webinar follow-up' }), view('c3')]);
    data = applyEvent(data, { name: 'call.attention', payload: { callId: 'c3', alerts: [{ id: 'a1', kind: 'transfer-requested', message: 'wants a person', at: 'now' }], raised: null } });
    expect(visibleCalls(data, { campaignId: ALL_CAMPAIGNS, alertsOnly: false, sort: 'started' })).toEqual(['c1', 'c2', 'c3']);
    expect(visibleCalls(data, { campaignId: 'webinar', alertsOnly: false, sort: 'started' })).toEqual(['c2']);
    expect(visibleCalls(data, { campaignId: ALL_CAMPAIGNS, alertsOnly: true, sort: 'started' })).toEqual(['c3']);
    expect(visibleCalls(data, { campaignId: ALL_CAMPAIGNS, alertsOnly: false, sort: 'alerts' })[0]).toBe('c3');
    expect(liveCampaigns(data.calls)).toEqual([
      { id: 'spring', name: 'Spring service' },
      { id: 'webinar', name: 'Webinar follow-up' },
    ]);
  });
});

describe('console notices', () => {
  it('clear themselves when the call they are about ends, and stay for other calls', () => {
    const ended = (callId: string): EngineEvent => ({ name: 'call.ended', payload: { callId, campaignId: null, outcome: 'completed', detail: '', durationMs: 1 } });
    type Notice = { kind: string; text: string; callId?: string };
    const notice: Notice = { kind: 'info', text: 'You have the call; the AI is silent until you hand it back.', callId: 'c1' };
    expect(noticeAfter(notice, ended('c2'))).toBe(notice);
    expect(noticeAfter(notice, ended('c1'))).toBeNull();
    expect(noticeAfter<Notice>({ kind: 'error', text: 'Enter your name first' }, ended('c1'))).not.toBeNull();
  });
});
