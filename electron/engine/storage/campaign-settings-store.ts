import type { Kysely } from 'kysely';
import { CampaignSettings, DEFAULT_CAMPAIGN_SETTINGS } from '../../contracts';
import type { Database } from './schema';

const SETTING_KEYS = Object.keys(DEFAULT_CAMPAIGN_SETTINGS) as Array<keyof CampaignSettings>;

/** The machine's own zone: the default for contacts whose zone is unknown, until the user picks one. */
export function hostTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || DEFAULT_CAMPAIGN_SETTINGS.defaultTimezone;
}

function pickSettings(input: object): Partial<CampaignSettings> {
  const picked: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = (input as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked as Partial<CampaignSettings>;
}

/** JSON for a new campaign's `settings` column: what the user gave over the defaults. */
export function settingsForCreate(input: object): string {
  return JSON.stringify({ ...DEFAULT_CAMPAIGN_SETTINGS, defaultTimezone: hostTimeZone(), ...pickSettings(input) });
}

/** New JSON for `settings` after a patch, or undefined when the patch touches no setting. */
export async function settingsForPatch(db: Kysely<Database>, id: string, patch: object): Promise<string | undefined> {
  const changes = pickSettings(patch);
  if (Object.keys(changes).length === 0) return undefined;
  const row = await db.selectFrom('campaigns').select('settings').where('id', '=', id).executeTakeFirst();
  return JSON.stringify({ ...readSettings(row?.settings ?? '{}'), ...changes });
}

/**
 * Settings from the stored JSON. A field that is missing or no longer valid (written by an older
 * version) falls back to its default, field by field, so one bad value never hides a campaign.
 */
export function readSettings(json: string): CampaignSettings {
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>;
  } catch {
    // unreadable JSON: every field takes its default
  }
  const settings: Record<string, unknown> = { ...DEFAULT_CAMPAIGN_SETTINGS };
  for (const key of SETTING_KEYS) {
    const field = CampaignSettings.shape[key].safeParse(stored[key]);
    if (field.success) settings[key] = field.data;
  }
  return settings as CampaignSettings;
}
