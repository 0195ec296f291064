import type { ControlMode } from '../../contracts';
import type { LanguageModel } from '../ports/llm';

/** What happened while a supervisor had the call, line by line. */
export interface SupervisedStretch {
  supervisor: string;
  mode: ControlMode;
  startedAt: number;
  endedAt: number;
  lines: Array<{ speaker: 'caller' | 'supervisor' | 'agent'; text: string | null; durationMs: number }>;
}

const SUMMARY_SCHEMA = {
  type: 'object',
  properties: { summary: { type: 'string', description: 'Two sentences at most, for the AI agent taking the call back' } },
  required: ['summary'],
};

/**
 * The words said, plainly: always available, also when no language model is installed or it
 * fails. Quotes the caller, says how long the supervisor spoke and what, when it was transcribed.
 */
export function extractiveSummary(stretch: SupervisedStretch): string {
  const seconds = Math.max(1, Math.round((stretch.endedAt - stretch.startedAt) / 1000));
  const who = stretch.supervisor;
  const said = stretch.lines.filter((l) => l.speaker !== 'agent');
  if (said.length === 0) return `${who} had the call for ${seconds} s; nothing was said meanwhile.`;
  const caller = said.filter((l) => l.speaker === 'caller' && l.text).map((l) => `"${clip(l.text!)}"`);
  const supervisor = said.filter((l) => l.speaker === 'supervisor');
  const spokenMs = supervisor.reduce((sum, l) => sum + l.durationMs, 0);
  const supervisorWords = supervisor.filter((l) => l.text).map((l) => `"${clip(l.text!)}"`);
  const parts = [`${who} had the call for ${seconds} s.`];
  if (supervisorWords.length > 0) parts.push(`${who} said ${supervisorWords.join(', ')}.`);
  else if (spokenMs > 0) parts.push(`${who} spoke for ${Math.max(1, Math.round(spokenMs / 1000))} s.`);
  parts.push(caller.length > 0 ? `The caller said ${caller.join(', ')}.` : 'The caller said nothing.');
  return parts.join(' ');
}

/**
 * The hand-back summary: the installed language model condenses the stretch (bounded in time);
 * without one, or when it fails or says nothing, the extractive summary stands.
 */
export async function summarizeStretch(stretch: SupervisedStretch, model: LanguageModel | undefined, timeoutMs = 4_000): Promise<{ summary: string; by: 'llm' | 'transcript' }> {
  const plain = extractiveSummary(stretch);
  const spoken = stretch.lines.some((l) => l.speaker !== 'agent' && l.text);
  if (!model || !model.capabilities.jsonSchema || !spoken) return { summary: plain, by: 'transcript' };
  const transcript = stretch.lines.map((l) => `${l.speaker === 'supervisor' ? stretch.supervisor : l.speaker}: ${l.text ?? `(spoke ${Math.round(l.durationMs / 1000)} s)`}`).join('\n');
  const prompt = `A human supervisor (${stretch.supervisor}) took over a phone call from an AI agent. Summarise for the AI agent, in at most two sentences, what the caller and the supervisor said and agreed, so it can continue the call.\n\n${transcript}`;
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Bounded even if the model ignores the abort: the caller is waiting in silence meanwhile.
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error('summary took too long'));
    }, timeoutMs);
  });
  try {
    const answer = (await Promise.race([model.completeJson(prompt, SUMMARY_SCHEMA, { signal: abort.signal, maxTokens: 120 }), late])) as { summary?: unknown };
    const text = typeof answer?.summary === 'string' ? answer.summary.trim() : '';
    return text ? { summary: clip(text, 400), by: 'llm' } : { summary: plain, by: 'transcript' };
  } catch {
    return { summary: plain, by: 'transcript' };
  } finally {
    clearTimeout(timer);
  }
}

function clip(text: string, max = 160): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
