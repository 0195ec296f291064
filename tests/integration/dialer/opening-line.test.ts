import { afterEach, describe, expect, it } from 'vitest';
import { openingProblems, renderOpening, SAMPLE_CONTACT } from '../../../electron/contracts';
import { ManualClock } from '../../../electron/engine';
import { importText, testEngine, TestLauncher, type TestEngine } from './harness';

const engines: TestEngine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.dispose();
});

async function setup() {
  const launcher = new TestLauncher();
  const t = await testEngine({ launcher, clock: new ManualClock(Date.parse('2026-01-06T17:00:00Z')) });
  engines.push(t);
  await importText(t.engine, ['name,phone,plan', 'Dana Smith,212-555-0101,Gold', 'Lee Park,212-555-0102,'].join('\n'));
  return { t, launcher };
}

describe('the opening line, rendered', () => {
  it('says the company and agent names, never the internal campaign name, and names what is unfilled', () => {
    const names = { agentName: 'Sam', companyName: 'Northside Auto', disclosure: true };
    const made = renderOpening({ ...names, openingLine: '' }, SAMPLE_CONTACT);
    expect(made.greeting).toBe('Hello Jo, this is Sam calling on behalf of Northside Auto.');
    expect(made.text).toMatch(/^Hello Jo, this is Sam calling on behalf of Northside Auto\. This is an automated call\./);
    expect(openingProblems(made, 'Demo: spring service reminder')).toEqual([]);

    const own = renderOpening({ ...names, openingLine: 'Hi {{firstName}}, about your {{plan}} plan from {{ companyName }}.' }, { name: 'Lee Park' });
    expect(own.greeting).toBe('Hi Lee, about your plan from Northside Auto.');
    expect(own.unresolved).toEqual(['{{plan}}']);
    const internal = renderOpening({ ...names, openingLine: 'Hi, this is Demo: spring service reminder.', disclosure: false }, SAMPLE_CONTACT);
    expect(openingProblems(internal, 'Demo: spring service reminder', 'Northside Auto')[0]).toContain("It says the campaign's internal name");
    // A company called like the campaign is the company.
    expect(openingProblems(made, 'Northside Auto', 'Northside Auto')).toEqual([]);
  });
});

describe('launch checks the opening line for the audience', () => {
  it('refuses a line with a placeholder a contact has no value for, showing what they would hear', async () => {
    const { t } = await setup();
    const campaign = await t.client.call('campaigns.create', { name: 'Renewals', companyName: 'Acme', openingLine: 'Hi {{firstName}}, your {{plan}} plan is due.' });
    await expect(t.client.call('campaigns.launch', { id: campaign.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('It has placeholders with no value: {{plan}}.'),
    });
    await expect(t.client.call('campaigns.launch', { id: campaign.id })).rejects.toMatchObject({ message: expect.stringContaining('Lee Park would hear: "Hi Lee, your plan is due.') });
    expect((await t.client.call('campaigns.get', { id: campaign.id })).status).toBe('draft');
  });

  it('refuses a line that says the internal campaign name, and launches once it says the company', async () => {
    const { t, launcher } = await setup();
    const campaign = await t.client.call('campaigns.create', { name: 'Spring 2026 batch', openingLine: 'Hello {{firstName}}, this is the Spring 2026 batch calling.' });
    await expect(t.client.call('campaigns.launch', { id: campaign.id })).rejects.toMatchObject({ message: expect.stringContaining("internal name (\"Spring 2026 batch\")") });
    await t.client.call('campaigns.update', { id: campaign.id, patch: { openingLine: '', companyName: 'Northside Auto', agentName: 'Sam' } });
    expect((await t.client.call('campaigns.launch', { id: campaign.id })).status).toBe('running');
    await t.engine.context.dialing.dialer.tick();
    expect(launcher.requests[0]!.brief).toMatchObject({ companyName: 'Northside Auto', agentName: 'Sam', openingLine: 'Hello Dana, this is Sam calling on behalf of Northside Auto.' });
  });
});
