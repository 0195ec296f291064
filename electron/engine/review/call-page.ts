import type BetterSqlite3 from 'better-sqlite3';
import { EmotionLabel, ParleyError, TurnLatencyView, type CallNote, type CallPage } from '../../contracts';
import { TURN_LATENCY_EVENT } from '../voice/call-store';

interface CallRow {
  id: string;
  campaign_id: string | null;
  campaign_name: string | null;
  contact_id: string | null;
  contact_name: string | null;
  line_id: string | null;
  direction: string;
  outcome: string | null;
  state: string;
  created_at: number;
  started_at: number | null;
  answered_at: number | null;
  ended_at: number | null;
  score: number | null;
  dry_run: number;
  legal_hold: number;
  variant: string | null;
}

/** Everything the call page shows, read in one pass of prepared statements. */
export class CallPageReader {
  private readonly s: Record<'call' | 'recording' | 'turns' | 'emotions' | 'events' | 'analysis' | 'notes', BetterSqlite3.Statement>;

  constructor(sqlite: BetterSqlite3.Database) {
    const p = (text: string) => sqlite.prepare(text);
    this.s = {
      call: p(`select c.id, c.campaign_id, cp.name as campaign_name, c.contact_id, ct.name as contact_name, c.line_id, c.direction,
          coalesce(a.outcome, c.outcome) as outcome, c.state, c.created_at, c.started_at, c.answered_at, c.ended_at, a.qualification as score,
          c.dry_run, c.legal_hold, d.variant
        from calls c left join campaigns cp on cp.id = c.campaign_id left join contacts ct on ct.id = c.contact_id
        left join call_analysis a on a.call_id = c.id left join dial_attempts d on d.id = c.id where c.id = ?`),
      recording: p(`select format, status, started_at, duration_ms, bytes, channels from call_recordings where call_id = ? and status != 'purged'`),
      turns: p(`select seq, speaker, text, interrupted, started_at, ended_at from transcript_turns where call_id = ? order by seq`),
      emotions: p(`select seq, at, smoothed_label, frustration, smoothed_valence, smoothed_arousal from turn_emotions where call_id = ? order by seq`),
      events: p(`select at, kind, data from call_events where call_id = ? and (kind like 'supervisor.%' or kind = ?) order by at, id`),
      analysis: p(`select summary, outcome, answers, qualification, csat, next_action from call_analysis where call_id = ?`),
      notes: p(`select id, author, text, created_at from call_notes where call_id = ? order by id`),
    };
  }

  read(callId: string): CallPage {
    const call = this.s.call.get(callId) as CallRow | undefined;
    if (!call) throw new ParleyError('not_found', 'No such call');
    const recording = this.s.recording.get(callId) as
      | { format: string; status: string; started_at: number; duration_ms: number | null; bytes: number | null; channels: number }
      | undefined;
    const controls: CallPage['controls'] = [];
    const latency: CallPage['latency'] = [];
    for (const event of this.s.events.all(callId, TURN_LATENCY_EVENT) as Array<{ at: number; kind: string; data: string }>) {
      const data = parseJson(event.data);
      if (event.kind === TURN_LATENCY_EVENT) {
        const parsed = TurnLatencyView.safeParse(data);
        if (parsed.success) latency.push(parsed.data);
        continue;
      }
      const fields = (data ?? {}) as { supervisor?: unknown; detail?: unknown };
      controls.push({
        at: event.at,
        action: event.kind.slice('supervisor.'.length),
        supervisor: typeof fields.supervisor === 'string' ? fields.supervisor : null,
        detail: typeof fields.detail === 'string' ? fields.detail : '',
      });
    }
    const analysis = this.s.analysis.get(callId) as
      | { summary: string; outcome: string; answers: string; qualification: number; csat: number; next_action: string }
      | undefined;
    const durationMs = call.ended_at === null ? null : call.ended_at - (call.answered_at ?? call.started_at ?? call.created_at);
    return {
      call: {
        id: call.id,
        campaignId: call.campaign_id,
        campaignName: call.campaign_name,
        contactId: call.contact_id,
        contactName: call.contact_name,
        lineId: call.line_id,
        direction: call.direction,
        outcome: call.outcome,
        state: call.state,
        createdAt: call.created_at,
        startedAt: call.started_at,
        answeredAt: call.answered_at,
        endedAt: call.ended_at,
        durationMs,
        score: call.score,
        dryRun: call.dry_run === 1,
        legalHold: call.legal_hold === 1,
        hasRecording: recording !== undefined,
        variant: call.variant,
      },
      recording: recording
        ? { format: recording.format, status: recording.status, startedAt: recording.started_at, durationMs: recording.duration_ms, bytes: recording.bytes, channels: recording.channels }
        : null,
      transcript: (this.s.turns.all(callId) as Array<{ seq: number; speaker: string; text: string; interrupted: number; started_at: number; ended_at: number | null }>).map((t) => ({
        seq: t.seq,
        speaker: t.speaker === 'caller' ? 'caller' : 'agent',
        text: t.text,
        interrupted: t.interrupted === 1,
        startedAt: t.started_at,
        endedAt: t.ended_at ?? t.started_at,
      })),
      emotions: (this.s.emotions.all(callId) as Array<{ seq: number; at: number; smoothed_label: string; frustration: number; smoothed_valence: number; smoothed_arousal: number }>).flatMap((e) => {
        const label = EmotionLabel.safeParse(e.smoothed_label);
        return label.success ? [{ seq: e.seq, at: e.at, label: label.data, frustration: e.frustration, valence: e.smoothed_valence, arousal: e.smoothed_arousal }] : [];
      }),
      controls,
      latency,
      analysis: analysis
        ? {
            summary: analysis.summary,
            outcome: analysis.outcome,
            answers: arrayOf(parseJson(analysis.answers)) as Array<{ question: string; answer: string | null }>,
            score: analysis.qualification,
            csat: analysis.csat,
            nextAction: (parseJson(analysis.next_action) as { kind: string; detail: string } | null) ?? { kind: 'none', detail: '' },
          }
        : null,
      notes: (this.s.notes.all(callId) as Array<{ id: number; author: string; text: string; created_at: number }>).map(noteOf),
    };
  }
}

export function noteOf(row: { id: number; author: string; text: string; created_at: number }): CallNote {
  return { id: row.id, author: row.author, text: row.text, createdAt: row.created_at };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
