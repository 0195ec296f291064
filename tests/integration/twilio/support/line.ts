import pino from 'pino';
import { freeLoopbackPort } from '../../../../electron/server/free-port';
import { TwilioLineSettings } from '../../../../electron/contracts';
import { TwilioTelephony, type TwilioCarrierOptions } from '../../../../electron/engine/telephony/twilio/telephony';
import { PlayoutClock } from '../../../../electron/engine/voice/playout-clock';
import { startFakeTwilio } from '../../../support/fake-twilio';

export const ACCOUNT_SID = `AC${'1f'.repeat(16)}`;
export const AUTH_TOKEN = 'test-auth-token-0123456789';
export const NUMBER = '+14155550100';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A free loopback port (the webhook listener's public URL must name its port before it opens). */
export const freePort = freeLoopbackPort;

/** A fake Twilio and a Twilio line pointed at it, with the line's log lines kept for assertions. */
export async function openTwilioLine(settings: Partial<TwilioLineSettings> = {}, options: TwilioCarrierOptions = {}, secret = JSON.stringify({ authToken: AUTH_TOKEN })) {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, numbers: [NUMBER, '+14155550199'] });
  const port = await freePort();
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const line = new TwilioTelephony(
    {
      id: 'line-tw',
      name: 'Office Twilio',
      settings: TwilioLineSettings.parse({ accountSid: ACCOUNT_SID, numbers: [NUMBER], webhookPort: port, publicBaseUrl: `http://127.0.0.1:${port}`, apiBaseUrl: fake.url, machineVerdictWaitMs: 2_000, ...settings }),
      secret,
      callerIds: [],
      codecs: ['PCMU'],
      maxCalls: 4,
    },
    { logger, clock: new PlayoutClock() },
    options,
  );
  return { fake, line, port, logs, warnings: () => logs.filter((l) => l.level === 40) };
}
