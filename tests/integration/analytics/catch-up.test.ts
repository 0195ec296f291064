import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../support/temp-dir';
import { at, insertAttempt, insertContact, openHarness, type AnalyticsHarness } from './harness';

const opened: AnalyticsHarness[] = [];
const temp = tempDataDir('parley-catch-up-');
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
  temp.cleanup();
});

describe('post-call analysis catch-up', () => {
  it('analyses, at the next start, calls that ended while no analysis could run', async () => {
    const first = await openHarness({ dataDir: temp.dir });
    opened.push(first);
    const campaignId = (await first.client.call('campaigns.create', { name: 'Renewals' })).id;
    insertContact(first, 'ann', 'Ann', '+15550003000');
    // Written straight to the store, as if the engine had stopped right after the call ended.
    insertAttempt(first, { id: 'ended-offline', campaignId, contactId: 'ann', attempt: 1, variant: null, outcome: 'completed', createdAt: at(20, 9), lines: [['agent', 'Shall we renew?'], ['caller', 'Yes, go ahead and book it.']] });
    insertAttempt(first, { id: 'voicemail-offline', campaignId, contactId: 'ann', attempt: 2, variant: null, outcome: 'voicemail', createdAt: at(20, 10), lines: [['agent', 'Hi Ann, this is Sam.']] });
    expect(await first.client.call('analysis.get', { callId: 'ended-offline' })).toBeNull();
    await opened.pop()!.close();

    const second = await openHarness({ dataDir: temp.dir });
    opened.push(second);
    const deadline = Date.now() + 10_000;
    while (!(await second.client.call('analysis.get', { callId: 'voicemail-offline' })) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await second.client.call('analysis.get', { callId: 'ended-offline' })).toMatchObject({ outcome: 'converted', method: 'rules' });
    expect(await second.client.call('analysis.get', { callId: 'voicemail-offline' })).toMatchObject({ outcome: 'voicemail' });
  });
});
