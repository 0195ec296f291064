import { join } from 'node:path';
import type { Kysely, Selectable } from 'kysely';
import {
  CatalogModel,
  InstalledFile,
  ModelSettings,
  ParleyError,
  type InstalledModel,
  type ModelRole,
} from '../../contracts';
import type { Clock } from '../clock';
import type { Database, InstalledModelsTable } from '../storage/schema';

const SETTINGS_KEY = 'models.settings';
const DEFAULT_SETTINGS: ModelSettings = { mirrors: [], setupDismissed: false };

export interface NewInstall {
  model: CatalogModel;
  /** Folder name under the models directory. */
  dirName: string;
  files: InstalledFile[];
  source: 'download' | 'import';
}

/** Installed models and the active model per role, in SQLite (migration 005_models). */
export class ModelRegistry {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly modelsDir: string,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<InstalledModel[]> {
    const [rows, active] = await Promise.all([
      this.db.selectFrom('installed_models').selectAll().orderBy('role').orderBy('installed_at').execute(),
      this.activeIds(),
    ]);
    return rows.map((row) => this.toInstalled(row, active));
  }

  async find(modelId: string): Promise<InstalledModel | undefined> {
    const row = await this.db.selectFrom('installed_models').selectAll().where('model_id', '=', modelId).executeTakeFirst();
    return row ? this.toInstalled(row, await this.activeIds()) : undefined;
  }

  async get(modelId: string): Promise<InstalledModel> {
    const found = await this.find(modelId);
    if (!found) throw new ParleyError('not_found', `Model ${modelId} is not installed`);
    return found;
  }

  /** The catalog entry as it was when the model was installed (later catalogs may drop it). */
  async catalogEntry(modelId: string): Promise<CatalogModel | undefined> {
    const row = await this.db.selectFrom('installed_models').select('catalog_entry').where('model_id', '=', modelId).executeTakeFirst();
    return row ? CatalogModel.parse(JSON.parse(row.catalog_entry)) : undefined;
  }

  async add(install: NewInstall): Promise<void> {
    const { model, files } = install;
    await this.db
      .insertInto('installed_models')
      .values({
        model_id: model.id,
        role: model.role,
        name: model.name,
        engine: model.engine,
        dir: install.dirName,
        size_bytes: files.reduce((n, f) => n + f.sizeBytes, 0),
        files: JSON.stringify(files),
        source: install.source,
        verified: files.every((f) => f.verified) ? 1 : 0,
        catalog_entry: JSON.stringify(model),
        installed_at: this.clock.now(),
      })
      .execute();
  }

  /** Deletes the row (and the role's active pointer if it pointed here); the caller removes the folder. */
  async remove(modelId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('active_models').where('model_id', '=', modelId).execute();
      await trx.deleteFrom('installed_models').where('model_id', '=', modelId).execute();
    });
  }

  async setActive(role: ModelRole, modelId: string): Promise<void> {
    const now = this.clock.now();
    await this.db
      .insertInto('active_models')
      .values({ role, model_id: modelId, updated_at: now })
      .onConflict((oc) => oc.column('role').doUpdateSet({ model_id: modelId, updated_at: now }))
      .execute();
  }

  async activeIds(): Promise<Partial<Record<ModelRole, string>>> {
    const rows = await this.db.selectFrom('active_models').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.role, r.model_id]));
  }

  async settings(): Promise<ModelSettings> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
    if (!row) return DEFAULT_SETTINGS;
    const parsed = ModelSettings.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : DEFAULT_SETTINGS;
  }

  async saveSettings(settings: ModelSettings): Promise<void> {
    const value = JSON.stringify(settings);
    const now = this.clock.now();
    await this.db
      .insertInto('settings')
      .values({ key: SETTINGS_KEY, value, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  private toInstalled(row: Selectable<InstalledModelsTable>, active: Partial<Record<ModelRole, string>>): InstalledModel {
    const files = InstalledFile.array().parse(JSON.parse(row.files));
    const dir = join(this.modelsDir, row.dir);
    const role = row.role as ModelRole;
    return {
      id: row.model_id,
      role,
      name: row.name,
      engine: row.engine as InstalledModel['engine'],
      dir,
      primaryPath: join(dir, files[0]?.path ?? ''),
      sizeBytes: row.size_bytes,
      source: row.source as InstalledModel['source'],
      verified: row.verified === 1,
      installedAt: new Date(row.installed_at).toISOString(),
      files,
      active: active[role] === row.model_id,
    };
  }
}
