import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_SETTINGS } from '../../../electron/contracts';
import { systemClock } from '../../../electron/engine/clock';
import { CallRecordings } from '../../../electron/engine/recording/call-recordings';
import { openStore, type Store } from '../../../electron/engine/storage/database';
import { tempDataDir } from '../../support/temp-dir';

describe('recording policy per call', () => {
  const data = tempDataDir();
  let store: Store;
  let recordings: CallRecordings;

  beforeAll(async () => {
    store = await openStore(data.dir);
    recordings = new CallRecordings({ db: store.db, dataDir: data.dir, clock: systemClock, logger: pino({ level: 'silent' }) });
    const now = Date.now();
    const campaign = (id: string, settings: object) =>
      store.sqlite.prepare("insert into campaigns (id, name, status, agent_prompt, questions, created_at, updated_at, settings) values (?, ?, 'draft', '', '[]', ?, ?, ?)").run(id, id, now, now, JSON.stringify({ ...DEFAULT_CAMPAIGN_SETTINGS, ...settings }));
    campaign('plain', {});
    campaign('strict', { recordingConsent: 'always-ask', redaction: true });
    campaign('off', { recording: false });
    store.sqlite.prepare("insert into contacts (id, name, phone_e164, custom, created_at, updated_at) values ('in-wa', 'Kim', '+12125550100', ?, ?, ?)").run(JSON.stringify({ State: 'WA' }), now, now);
  });
  afterAll(async () => {
    await recordings.dispose();
    await store.dispose();
    data.cleanup();
  });

  it('asks by state (number or the contact’s imported state), always when the campaign says so, never records without disclosure', async () => {
    const base = { campaignId: 'plain', contactId: null, disclosure: true };
    expect(await recordings.policy({ ...base, phoneE164: '+12125550100' })).toMatchObject({ record: true, askConsent: false, redact: false });
    expect(await recordings.policy({ ...base, phoneE164: '+17025550100' })).toMatchObject({ record: true, askConsent: true, why: expect.stringContaining('NV') });
    expect(await recordings.policy({ ...base, contactId: 'in-wa', phoneE164: '+12125550100' })).toMatchObject({ askConsent: true, why: expect.stringContaining('WA') });
    expect(await recordings.policy({ ...base, campaignId: 'strict', phoneE164: '+12125550100' })).toMatchObject({ record: true, askConsent: true, redact: true });
    expect(await recordings.policy({ ...base, campaignId: 'off', phoneE164: '+14155550100' })).toMatchObject({ record: false, askConsent: false });
    expect(await recordings.policy({ ...base, disclosure: false, phoneE164: '+14155550100' })).toMatchObject({ record: false });
  });
});
