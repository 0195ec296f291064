import type { Kysely } from 'kysely';
import { ParleyError, type TurnEmotion } from '../../contracts';
import { EmotionStore } from '../emotion/emotion-store';
import type { Database } from '../storage/schema';

export interface TranscriptLine {
  seq: number;
  speaker: 'agent' | 'caller';
  text: string;
  interrupted: boolean;
}

/** Everything post-call analysis reads about one call. */
export interface CallRecord {
  callId: string;
  campaignId: string | null;
  contactId: string | null;
  contactName: string | null;
  campaignName: string | null;
  questions: string[];
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** The carrier/dialer outcome (completed, voicemail, no-answer...), if recorded. */
  dialOutcome: string | null;
  /** On a simulated line: analysed and stored, never sent to the CRM. */
  dryRun: boolean;
  transcript: TranscriptLine[];
  emotions: TurnEmotion[];
}

/** Speakers on our side of the line: the AI agent, and a desk agent who barged in or took over. */
const OUR_SIDE = new Set(['agent', 'assistant', 'ai', 'bot', 'supervisor', 'human-agent', 'desk']);

export async function loadCallRecord(db: Kysely<Database>, callId: string): Promise<CallRecord> {
  const call = await db
    .selectFrom('calls')
    .leftJoin('campaigns', 'campaigns.id', 'calls.campaign_id')
    .leftJoin('contacts', 'contacts.id', 'calls.contact_id')
    .select([
      'calls.id',
      'calls.campaign_id',
      'calls.contact_id',
      'calls.outcome',
      'calls.created_at',
      'calls.answered_at',
      'calls.ended_at',
      'calls.dry_run',
      'campaigns.name as campaign_name',
      'campaigns.questions',
      'contacts.name as contact_name',
    ])
    .where('calls.id', '=', callId)
    .executeTakeFirst();
  if (!call) throw new ParleyError('not_found', `No call with id ${callId}`);
  const turns = await db
    .selectFrom('transcript_turns')
    .select(['seq', 'speaker', 'text', 'interrupted'])
    .where('call_id', '=', callId)
    .orderBy('seq')
    .execute();
  let questions: string[] = [];
  try {
    const parsed: unknown = call.questions ? JSON.parse(call.questions) : [];
    if (Array.isArray(parsed)) questions = parsed.filter((q): q is string => typeof q === 'string');
  } catch {
    // a damaged questions column must not stop the analysis; the answers list is just empty
  }
  return {
    callId,
    campaignId: call.campaign_id,
    contactId: call.contact_id,
    contactName: call.contact_name || null,
    campaignName: call.campaign_name ?? null,
    questions,
    createdAt: call.created_at,
    answeredAt: call.answered_at,
    endedAt: call.ended_at,
    dialOutcome: call.outcome,
    dryRun: call.dry_run === 1,
    transcript: turns
      .filter((t) => t.text.trim().length > 0)
      .map((t) => ({
        seq: t.seq,
        speaker: OUR_SIDE.has(t.speaker.toLowerCase()) ? 'agent' : 'caller',
        text: t.text.trim(),
        interrupted: t.interrupted !== 0,
      })),
    emotions: await new EmotionStore(db).track(callId),
  };
}
