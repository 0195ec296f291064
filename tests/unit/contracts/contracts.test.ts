import { describe, expect, it } from 'vitest';
import {
  CampaignInput,
  commandNames,
  commands,
  DEFAULT_EMOTION_SETTINGS,
  isCommandName,
  issuesFromZod,
  MAX_PROMPT_CHARS,
  ParleyError,
} from '../../../electron/contracts';

describe('campaign input schema', () => {
  it('accepts a minimal campaign and applies defaults', () => {
    const parsed = CampaignInput.parse({ name: '  Spring push  ' });
    expect(parsed).toEqual({ name: 'Spring push', agentPrompt: '', questions: [], disclosure: true, emotion: DEFAULT_EMOTION_SETTINGS });
  });

  it('rejects an empty or blank name with a field path', () => {
    const result = CampaignInput.safeParse({ name: '   ' });
    expect(result.success).toBe(false);
    const issues = issuesFromZod(result.error!);
    expect(issues[0]).toEqual({ path: 'name', message: 'Name is required' });
  });

  it('rejects a 1 MB prompt', () => {
    const result = CampaignInput.safeParse({ name: 'x', agentPrompt: 'a'.repeat(1_000_000) });
    expect(result.success).toBe(false);
    expect(issuesFromZod(result.error!)[0]!.path).toBe('agentPrompt');
  });

  it('accepts a prompt at the limit', () => {
    expect(CampaignInput.safeParse({ name: 'x', agentPrompt: 'a'.repeat(MAX_PROMPT_CHARS) }).success).toBe(true);
  });

  it('rejects empty questions and non-string questions', () => {
    expect(CampaignInput.safeParse({ name: 'x', questions: [''] }).success).toBe(false);
    expect(CampaignInput.safeParse({ name: 'x', questions: [42] }).success).toBe(false);
  });
});

describe('command map', () => {
  it('knows its commands and nothing else', () => {
    expect(commandNames).toContain('campaigns.create');
    expect(isCommandName('campaigns.create')).toBe(true);
    expect(isCommandName('toString')).toBe(false);
    expect(isCommandName('__proto__')).toBe(false);
    expect(isCommandName(42)).toBe(false);
  });

  it('rejects unknown fields in strict requests', () => {
    expect(commands['campaigns.delete'].request.safeParse({ id: 'a', extra: 1 }).success).toBe(false);
  });
});

describe('ParleyError', () => {
  it('round-trips through its wire shape', () => {
    const error = new ParleyError('invalid_payload', 'bad', [{ path: 'name', message: 'Name is required' }]);
    const copy = ParleyError.fromShape(JSON.parse(JSON.stringify(error.toShape())));
    expect(copy).toBeInstanceOf(ParleyError);
    expect(copy.code).toBe('invalid_payload');
    expect(copy.issues).toEqual(error.issues);
  });
});
