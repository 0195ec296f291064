import type { Engine } from '../engine';

export interface SmokeResult {
  ok: boolean;
  detail: string;
}

/**
 * `Parley --smoke-test`: what the release workflow runs on each packaged app. One dry-run call (a
 * simulated caller on a simulated line, nothing real touched) through the packaged engine: it must
 * be answered, hear at least one reply from the agent, and end. Proves the native parts load from
 * the package, not just that a window opens.
 */
export async function runSmokeCall(engine: Engine, timeoutMs = 60_000): Promise<SmokeResult> {
  const campaign = await engine.invoke('campaigns.create', { name: `Smoke test ${new Date().toISOString()}`, questions: ['Is now a good time?'] });
  if (!campaign.ok) return { ok: false, detail: `creating the campaign failed: ${campaign.error.message}` };
  const campaignId = (campaign.result as { id: string }).id;
  let agentTurns = 0;
  let callId: string | undefined;
  let ended: string | undefined;
  const off = engine.subscribe((event) => {
    if (event.name === 'call.turn' && event.payload.callId === callId && event.payload.speaker === 'agent') agentTurns++;
    if (event.name === 'call.ended' && event.payload.callId === callId) ended = event.payload.outcome;
  });
  try {
    const call = await engine.invoke('voice.testCall', { campaignId, persona: 'cooperative', contactName: 'Smoke Test' });
    if (!call.ok) return { ok: false, detail: `placing the call failed: ${call.error.message}` };
    callId = (call.result as { callId: string }).callId;
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && (agentTurns === 0 || ended === undefined)) {
      if (agentTurns > 0 && ended === undefined) await engine.invoke('supervision.endCall', { callId });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const engines = engine.context.voice.runtime.status().map((s) => `${s.role}: ${s.name} (${s.state})`).join(', ');
    if (agentTurns === 0) return { ok: false, detail: `the agent never spoke within ${timeoutMs / 1000} s; engines: ${engines}` };
    if (ended === undefined) return { ok: false, detail: `the call did not end; engines: ${engines}` };
    return { ok: true, detail: `dry-run call answered, ${agentTurns} agent turn(s), ended (${ended}); engines: ${engines}` };
  } finally {
    off();
    await engine.invoke('campaigns.delete', { id: campaignId });
  }
}
