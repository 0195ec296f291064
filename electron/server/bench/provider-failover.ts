import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAiCompatibleLanguageModel } from '../../engine/adapters/llm/openai-compatible';
import { ProviderGuard } from '../../engine/adapters/resilience/provider-guard';
import type { TextToSpeech } from '../../engine/ports/speech';
import { LlmAgent } from '../../engine/voice/agents/llm-agent';
import type { CallBrief } from '../../engine/voice/agents/types';
import { percentile } from './voice-sim';

/**
 * How fast a failing API model stops costing a turn: a local OpenAI-compatible server that answers
 * 500 to everything; each turn runs the LLM agent (scripted line on failure) and speaks its first
 * sentence with the fallback voice. `providerFailoverMs`: the failure to the fallback's first audio,
 * while the breaker is still closed (the request and its one retry); `providerFailoverOpenMs`: the
 * same once the breaker has opened. `breakerCostPerTurnMs`: what a closed breaker adds to a request.
 */
export async function providerFailover(brief: CallBrief, tts: TextToSpeech): Promise<{ providerFailoverMs: number | null; providerFailoverOpenMs: number | null; breakerCostPerTurnMs: number }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const guard = new ProviderGuard('bench', 'Failing API', { threshold: 3, coolDownMs: 60_000, minRetryBudgetMs: 100 });
  const llm = await createOpenAiCompatibleLanguageModel({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, model: 'm', serviceName: 'Failing API', guard });
  const closed: number[] = [];
  const open: number[] = [];
  try {
    const agent = new LlmAgent(llm, brief, { firstTokenTimeoutMs: 4_000, replyTimeoutMs: 8_000, maxConsecutiveFailures: 100 });
    const signal = new AbortController().signal;
    for await (const _ of agent.opening(signal)) void _;
    for (let turn = 0; turn < 8; turn++) {
      const wasOpen = !guard.available();
      const started = performance.now();
      let text = '';
      for await (const out of agent.respond('Yes, that sounds good.', signal)) {
        if (out.type === 'text' && out.text.trim()) {
          text = out.text;
          break;
        }
      }
      for await (const chunk of tts.synthesize(text || 'One moment.')) if (chunk.samples.length > 0) break;
      (wasOpen ? open : closed).push(performance.now() - started);
    }
    await agent.dispose();
  } finally {
    await llm.dispose();
    server.closeAllConnections();
    server.close();
  }
  // A closed breaker around a request that succeeds at once, against the bare request.
  const healthy = new ProviderGuard('bench-ok', 'Healthy', {});
  const runs = 20_000;
  const request = () => Promise.resolve(1);
  let t = performance.now();
  for (let i = 0; i < runs; i++) await request();
  const bare = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < runs; i++) await healthy.run(request);
  const guarded = performance.now() - t;
  return {
    providerFailoverMs: percentile(closed, 0.5),
    providerFailoverOpenMs: percentile(open, 0.5),
    breakerCostPerTurnMs: Math.round((Math.max(0, guarded - bare) / runs) * 10_000) / 10_000,
  };
}
