import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import type { LanguageModel } from '../ports/llm';
import { templateContext, type BriefContact, type ContactHistory } from './agent-brief';

/** maxLength makes a grammar-constrained local model close the string instead of rambling to its token limit. */
const CONTEXT_SCHEMA = {
  type: 'object',
  properties: { context: { type: 'string', maxLength: 400 } },
  required: ['context'],
  additionalProperties: false,
} as const;

const MAX_CONTEXT_CHARS = 600;
const MAX_PENDING = 50;

interface Job {
  campaign: { id: string; name: string };
  contactId: string;
  facts: string;
}

/**
 * Per-contact call context. The template (agent-brief.ts) is always available at once; when a
 * language model is configured, a model-written version is prepared in the background for contacts
 * about to be called and cached per (campaign, contact), and used from then on.
 */
export class ContactContexts {
  private readonly read: BetterSqlite3.Statement;
  private readonly write: BetterSqlite3.Statement;
  private readonly pending = new Map<string, Job>();
  private readonly abort = new AbortController();
  private working: Promise<void> | undefined;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly deps: { clock: Clock; logger: Logger; model?: LanguageModel | (() => LanguageModel | undefined) | undefined },
  ) {
    this.read = sqlite.prepare('select text from contact_contexts where campaign_id = ? and contact_id = ?');
    this.write = sqlite.prepare(
      `insert into contact_contexts (campaign_id, contact_id, text, source, created_at) values (?, ?, ?, 'model', ?)
       on conflict (campaign_id, contact_id) do update set text = excluded.text, source = excluded.source, created_at = excluded.created_at`,
    );
  }

  /** The model to write contexts with, if one is configured (and, for the voice side's, loaded). */
  private model(): LanguageModel | undefined {
    const { model } = this.deps;
    return typeof model === 'function' ? model() : model;
  }

  get usesModel(): boolean {
    return this.model() !== undefined;
  }

  contextFor(campaign: { id: string; name: string }, contactId: string, contact: BriefContact, history: ContactHistory): string {
    const cached = this.read.get(campaign.id, contactId) as { text: string } | undefined;
    return cached?.text ?? templateContext(campaign, contact, history);
  }

  /** Queues model-written contexts for contacts likely to be called soon (no-op without a model). */
  prefetch(campaign: { id: string; name: string }, contactId: string, contact: BriefContact, history: ContactHistory): void {
    if (!this.model() || this.abort.signal.aborted) return;
    const key = `${campaign.id}:${contactId}`;
    if (this.pending.has(key) || this.pending.size >= MAX_PENDING) return;
    if (this.read.get(campaign.id, contactId)) return;
    this.pending.set(key, { campaign, contactId, facts: templateContext(campaign, contact, history) });
    this.working ??= this.work().finally(() => (this.working = undefined));
  }

  /** Resolves when the background queue is empty (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.working) await this.working;
  }

  async dispose(): Promise<void> {
    this.abort.abort();
    this.pending.clear();
    await this.working?.catch(() => undefined);
  }

  private async work(): Promise<void> {
    for (const [key, job] of this.pending) {
      const model = this.model();
      if (this.abort.signal.aborted || !model) {
        this.pending.clear();
        return;
      }
      try {
        const answer = await model.completeJson(prompt(job), CONTEXT_SCHEMA as unknown as Record<string, unknown>, {
          signal: this.abort.signal,
          maxTokens: 450,
        });
        const text = readAnswer(answer);
        if (text && !this.abort.signal.aborted) this.write.run(job.campaign.id, job.contactId, text, this.deps.clock.now());
      } catch (error) {
        if (!this.abort.signal.aborted) this.deps.logger.warn({ err: error, campaignId: job.campaign.id }, 'contact context generation failed; the template is used');
      } finally {
        this.pending.delete(key);
      }
    }
  }
}

function prompt(job: Job): string {
  return [
    'Write a short briefing, two or three sentences, for a phone agent who is about to call this person.',
    'Use only the facts below; do not invent anything. Mention their name and why we are calling.',
    `Facts: ${job.facts}`,
    'Answer as JSON: {"context": "..."}',
  ].join('\n');
}

function readAnswer(answer: unknown): string | undefined {
  if (!answer || typeof answer !== 'object') return undefined;
  const text = (answer as { context?: unknown }).context;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return trimmed.length > 0 ? trimmed.slice(0, MAX_CONTEXT_CHARS) : undefined;
}
