import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { AudioSocketLineSettings, Codec, LineInput, LineKind, ParleyError, SipLineSettings, TwilioLineSettings } from '../../contracts';
import type { Clock } from '../clock';
import type { Database, LinesTable } from '../storage/schema';
import type { z } from 'zod';

/** A line as stored (no secret: that lives in the secret store). */
/** The number a line shows on outbound calls by default: its first caller ID, else a Twilio line's first number. */
export function defaultCallerId(line: Pick<StoredLine, 'kind' | 'callerIds' | 'settings'>): string | null {
  if (line.callerIds[0]) return line.callerIds[0];
  const numbers = line.kind === 'twilio' ? line.settings.numbers : undefined;
  return Array.isArray(numbers) && typeof numbers[0] === 'string' ? numbers[0] : null;
}

export interface StoredLine {
  id: string;
  kind: LineKind;
  name: string;
  settings: Record<string, unknown>;
  callerIds: string[];
  maxCalls: number;
  codecs: Codec[];
  inboundCampaignId: string | null;
  ratePerMinuteUsd: number | null;
  hasSecret: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A parsed line input (defaults applied), without its password. */
export type LineFields = Omit<z.output<typeof LineInput>, 'password'>;

/** Line rows in and out of SQLite. */
export class LinesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<StoredLine[]> {
    const rows = await this.db.selectFrom('lines').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toLine);
  }

  async get(id: string): Promise<StoredLine> {
    const row = await this.db.selectFrom('lines').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ParleyError('not_found', `No line with id ${id}`);
    return toLine(row);
  }

  async create(fields: LineFields, hasSecret: boolean, id: string = randomUUID()): Promise<StoredLine> {
    const now = this.clock.now();
    const row: Selectable<LinesTable> = { id, ...columns(fields), has_secret: hasSecret ? 1 : 0, created_at: now, updated_at: now };
    await this.db.insertInto('lines').values(row).execute();
    return toLine(row);
  }

  async update(id: string, fields: LineFields, hasSecret: boolean): Promise<StoredLine> {
    const result = await this.db
      .updateTable('lines')
      .set({ ...columns(fields), has_secret: hasSecret ? 1 : 0, updated_at: this.clock.now() })
      .where('id', '=', id)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new ParleyError('not_found', `No line with id ${id}`);
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const result = await this.db.deleteFrom('lines').where('id', '=', id).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw new ParleyError('not_found', `No line with id ${id}`);
  }
}

function columns(fields: LineFields): Omit<Selectable<LinesTable>, 'id' | 'has_secret' | 'created_at' | 'updated_at'> {
  return {
    kind: fields.kind,
    name: fields.name,
    settings: JSON.stringify(fields.settings),
    caller_ids: JSON.stringify(fields.callerIds),
    max_calls: fields.maxCalls,
    codecs: JSON.stringify(fields.codecs),
    inbound_campaign_id: fields.inboundCampaignId,
    rate_per_minute_usd: fields.ratePerMinuteUsd,
  };
}

const SETTINGS_BY_KIND = { sip: SipLineSettings, audiosocket: AudioSocketLineSettings, twilio: TwilioLineSettings } as const;

function toLine(row: Selectable<LinesTable>): StoredLine {
  const kind = LineKind.parse(row.kind);
  const raw = parseJson(row.settings, {}) as Record<string, unknown>;
  // Settings written by an older version are read with today's defaults; unreadable ones stay as they are.
  const settings = kind === 'simulated' ? {} : (SETTINGS_BY_KIND[kind].safeParse(raw).data ?? raw);
  return {
    id: row.id,
    kind,
    name: row.name,
    settings,
    callerIds: parseJson(row.caller_ids, []) as string[],
    maxCalls: row.max_calls,
    codecs: (parseJson(row.codecs, ['PCMU', 'PCMA']) as string[]).filter((c): c is Codec => Codec.safeParse(c).success),
    inboundCampaignId: row.inbound_campaign_id,
    ratePerMinuteUsd: row.rate_per_minute_usd,
    hasSecret: row.has_secret === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}
