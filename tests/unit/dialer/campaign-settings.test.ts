import { describe, expect, it } from 'vitest';
import { CampaignInput, CampaignPatch, CampaignSettings, DEFAULT_CAMPAIGN_SETTINGS, issuesFromZod } from '../../../electron/contracts';

const issueOf = (patch: object) => {
  const result = CampaignSettings.safeParse({ ...DEFAULT_CAMPAIGN_SETTINGS, ...patch });
  return result.success ? undefined : issuesFromZod(result.error)[0];
};

describe('campaign settings contract', () => {
  it('accepts its own defaults, and a campaign with only a name leaves every setting to the engine', () => {
    expect(CampaignSettings.parse(DEFAULT_CAMPAIGN_SETTINGS)).toEqual(DEFAULT_CAMPAIGN_SETTINGS);
    const minimal = CampaignInput.parse({ name: 'Only a name' });
    for (const key of Object.keys(DEFAULT_CAMPAIGN_SETTINGS)) expect(minimal).not.toHaveProperty(key);
    expect(CampaignPatch.parse({ priority: 9 })).toEqual({ priority: 9 });
  });

  it('explains each bad setting next to its field', () => {
    expect(issueOf({ callingWindow: { start: '21:00', end: '08:00', days: ['mon'], holidays: [] } })).toEqual({
      path: 'callingWindow.end',
      message: 'The calling window must end after it starts',
    });
    expect(issueOf({ callingWindow: { start: '8am', end: '21:00', days: ['mon'], holidays: [] } })?.message).toBe('Use 24-hour time, HH:MM');
    expect(issueOf({ callingWindow: { start: '08:00', end: '21:00', days: [], holidays: [] } })?.message).toBe('Pick at least one calling day');
    expect(issueOf({ callingWindow: { start: '08:00', end: '21:00', days: ['mon'], holidays: ['2026-13-01'] } })?.message).toBe('Use a date as YYYY-MM-DD');
    expect(issueOf({ defaultTimezone: 'Mars/Olympus' })).toEqual({ path: 'defaultTimezone', message: 'Unknown time zone; use an IANA name such as America/Chicago' });
    expect(issueOf({ channel: 'sms' })?.message).toBe('Only voice campaigns can be run for now');
    expect(issueOf({ maxConcurrentCalls: 0 })?.message).toBe('At least 1 concurrent call');
    expect(issueOf({ retryDelayMinutes: { noAnswer: 0, busy: 1, voicemail: null, failed: 1 } })).toEqual({ path: 'retryDelayMinutes.noAnswer', message: 'At least 1 minute' });
    expect(issueOf({ testLimit: 0 })?.message).toBe('A test limit is at least 1');
    expect(issueOf({ language: 'english please' })?.message).toBe('Use a language tag such as en-US');
    const variant = { name: 'A', agentPrompt: 'p', weight: 1 };
    expect(issueOf({ variants: [variant, variant] })?.message).toBe('Variant names must differ');
    expect(issueOf({ variants: [{ ...variant, weight: 0 }] })?.message).toBe('At least one variant needs a weight above 0');
    expect(issueOf({ variants: [{ ...variant, agentPrompt: ' ' }] })?.message).toBe('A variant needs its prompt');
  });
});
