/**
 * Run in its own process by callback-crash.test.ts, which kills it with SIGKILL as soon as this prints
 * BOOKED: a simulated caller has asked to be called back tomorrow at ten and the call is still on.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { ManualClock } from '../../../electron/engine';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { findPersona } from '../../../electron/engine/telephony/simulated/personas';
import { importText, testEngine } from '../dialer/harness';

const [dir, phone, startIso] = process.argv.slice(2) as [string, string, string];
const t = await testEngine({ clock: new ManualClock(Date.parse(startIso)), dir });
await importText(t.engine, ['name,phone,timezone', `Robin Diaz,${phone},America/New_York`].join('\n'));
const campaign = await t.client.call('campaigns.create', {
  name: 'Service reminders',
  companyName: 'Northside Auto',
  questions: ['Would you like to book your winter service?'],
  callingWindow: { start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: [] },
});
await t.client.call('campaigns.launch', { id: campaign.id });
const base = findPersona('callback')!;
(t.engine.context.voice.runtime.telephony as SimulatedTelephony).assign(phone, { ...base, id: 'callback-at-ten', replies: [{ parts: [{ text: 'I am busy right now. Can you call me back tomorrow at ten?' }] }] });
const placed = await t.engine.context.dialing.dialer.tick();
const callId = placed.placed[0]!.attemptId;
const db = new BetterSqlite3(join(dir, 'parley.db'), { readonly: true });
const until = Date.now() + 60_000;
for (;;) {
  const booked = db.prepare('select count(*) as n from callbacks').get() as { n: number };
  if (booked.n > 0) {
    const attempt = db.prepare('select state from dial_attempts where id = ?').get(callId) as { state: string };
    process.stdout.write(`BOOKED ${callId} ${attempt.state}\n`);
    break;
  }
  if (Date.now() > until) throw new Error('no callback was booked within 60 s');
  await new Promise((resolve) => setTimeout(resolve, 20));
}
// Wait to be killed; never end the call ourselves.
setInterval(() => undefined, 1_000);
