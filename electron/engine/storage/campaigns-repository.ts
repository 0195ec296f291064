import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { EmotionSettings, ParleyError, type Campaign, type CampaignSettings, type CampaignStatus } from '../../contracts';
import type { Clock } from '../clock';
import { readSettings, settingsForCreate, settingsForPatch } from './campaign-settings-store';
import type { CampaignsTable, Database } from './schema';

export interface NewCampaign extends Partial<CampaignSettings> {
  name: string;
  agentPrompt: string;
  questions: string[];
  disclosure?: boolean;
  emotion?: EmotionSettings;
}

/** Campaign rows in and out of SQLite. Deleting archives the row so past calls keep their campaign. */
export class CampaignsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<Campaign[]> {
    const rows = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(toCampaign);
  }

  async get(id: string): Promise<Campaign> {
    const row = await this.db
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new ParleyError('not_found', `No campaign with id ${id}`);
    return toCampaign(row);
  }

  async create(input: NewCampaign): Promise<Campaign> {
    const now = this.clock.now();
    const row: Selectable<CampaignsTable> = {
      id: randomUUID(),
      name: input.name,
      agent_prompt: input.agentPrompt,
      questions: JSON.stringify(input.questions),
      disclosure: input.disclosure === false ? 0 : 1,
      emotion_settings: JSON.stringify(EmotionSettings.parse(input.emotion ?? {})),
      status: 'draft',
      created_at: now,
      updated_at: now,
      deleted_at: null,
      settings: settingsForCreate(input),
      start_at: null,
    };
    await this.db.insertInto('campaigns').values(row).execute();
    return toCampaign(row);
  }

  async update(id: string, patch: Partial<NewCampaign>): Promise<Campaign> {
    const values: Partial<CampaignsTable> = { updated_at: this.clock.now() };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.agentPrompt !== undefined) values.agent_prompt = patch.agentPrompt;
    if (patch.questions !== undefined) values.questions = JSON.stringify(patch.questions);
    const settings = await settingsForPatch(this.db, id, patch);
    if (settings !== undefined) values.settings = settings;
    if (patch.disclosure !== undefined) values.disclosure = patch.disclosure ? 1 : 0;
    if (patch.emotion !== undefined) values.emotion_settings = JSON.stringify(EmotionSettings.parse(patch.emotion));
    const result = await this.db
      .updateTable('campaigns')
      .set(values)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new ParleyError('not_found', `No campaign with id ${id}`);
    return this.get(id);
  }

  async archive(id: string): Promise<void> {
    const result = await this.db
      .updateTable('campaigns')
      .set({ deleted_at: this.clock.now() })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new ParleyError('not_found', `No campaign with id ${id}`);
  }
}

function toCampaign(row: Selectable<CampaignsTable>): Campaign {
  return {
    id: row.id,
    name: row.name,
    agentPrompt: row.agent_prompt,
    questions: JSON.parse(row.questions) as string[],
    disclosure: row.disclosure !== 0,
    emotion: EmotionSettings.parse(JSON.parse(row.emotion_settings)),
    status: row.status as CampaignStatus,
    ...readSettings(row.settings),
    startAt: row.start_at === null ? null : new Date(row.start_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
