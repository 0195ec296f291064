import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine';
import { tempDataDir } from '../../support/temp-dir';

const KEYS = {
  openai: 'sk-live-OPENAI0123456789',
  anthropic: 'sk-ant-ANTHROPIC0123456789',
  eleven: 'ELEVEN0123456789abcdef',
  query: 'QUERYKEY0123456789',
  sip: 'SIPPASSWORD0123',
  twilio: 'TWILIOTOKEN0123456789',
};

describe('secrets in logs and files at rest', () => {
  it('a real log file holds none of the keys a run used, at any depth, in headers, errors or text', async () => {
    const data = tempDataDir();
    try {
      const engine = await createEngine({ dataDir: data.dir, host: 'test', logLevel: 'debug' });
      const log = engine.context.logger;
      // What the adapters send: OpenAI-compatible (authorization), Anthropic (x-api-key), ElevenLabs (xi-api-key), query keys.
      log.debug({ request: { url: 'https://api.openai.example/v1/chat', headers: { Authorization: `Bearer ${KEYS.openai}`, 'content-type': 'application/json' } } }, 'llm request');
      log.debug({ adapter: { kind: 'anthropic', http: { headers: { 'x-api-key': KEYS.anthropic } } } }, 'llm request');
      log.debug({ voices: [{ tts: { elevenlabs: { request: { headers: { 'xi-api-key': KEYS.eleven } } } } }] }, 'tts request');
      log.info({ config: { a: { b: { c: { d: { e: { api_key: KEYS.query, apiKey: KEYS.query } } } } } } }, 'deep config');
      log.info({ line: { sip: { username: 'office', password: KEYS.sip } }, carrier: { accountSid: 'AC123', authToken: KEYS.twilio } }, 'line configured');
      log.warn({ err: new Error(`upstream said: invalid Authorization: Bearer ${KEYS.openai}`) }, 'llm failed');
      log.warn(`GET https://tts.example/v1?api_key=${KEYS.query}&voice=x failed`);
      log.info({ call: { callId: 'c1', outcome: 'completed' } }, 'call ended');
      await engine.dispose();

      const file = join(data.dir, 'logs', 'parley.log');
      const text = readFileSync(file, 'utf8');
      expect(text).toContain('call ended');
      expect(text).toContain('"callId":"c1"'); // ordinary fields survive
      expect(text).toContain('[redacted]');
      for (const [name, key] of Object.entries(KEYS)) expect(text, name).not.toContain(key);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(data.dir, 'parley.db')).mode & 0o777).toBe(0o600);
    } finally {
      data.cleanup();
    }
  });
});
