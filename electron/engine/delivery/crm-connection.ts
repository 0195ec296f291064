import type BetterSqlite3 from 'better-sqlite3';
import { HubSpotSettings, ParleyError, type CrmConnection, type CrmTestResult } from '../../contracts';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import type { SecretStore } from '../secrets/secret-store';
import { callFactsReader } from './call-facts';
import type { DeliveryService } from './delivery-service';
import { HubSpotTarget } from './hubspot-target';

const TOKEN_KEY = 'crm:hubspot';

/**
 * The office's CRM (the `crm_connection` row, migration 015; the token in the secret store): builds
 * the HubSpot target and hands it to delivery, so `crm` rows of the outbox start flowing.
 */
export class CrmConnectionService {
  /** Whether a token is in the secret store (read at start, then kept up to date here). */
  private tokenSaved = false;

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; secrets: SecretStore; clock: Clock; logger: Logger; delivery: DeliveryService },
    private readonly options: { hubspotBasePath?: string } = {},
  ) {}

  /** Connects what was saved (at start). */
  async start(): Promise<void> {
    this.tokenSaved = (await this.deps.secrets.get(TOKEN_KEY)) !== undefined;
    const current = this.get();
    if (current.kind && current.enabled && current.hasToken) this.deps.delivery.setCrmTarget(await this.target(current.settings!), 'HubSpot');
  }

  get(): CrmConnection {
    const row = this.deps.sqlite.prepare("select kind, settings, enabled from crm_connection where id = 'crm'").get() as { kind: string; settings: string; enabled: number } | undefined;
    if (!row) return { kind: null, settings: null, hasToken: false, enabled: false };
    return { kind: 'hubspot', settings: HubSpotSettings.parse(JSON.parse(row.settings)), hasToken: this.tokenSaved, enabled: row.enabled === 1 };
  }

  async connect(token: string | undefined, settings: HubSpotSettings): Promise<CrmConnection> {
    if (token) await this.deps.secrets.set(TOKEN_KEY, token);
    else if (!(await this.deps.secrets.get(TOKEN_KEY))) throw new ParleyError('invalid_payload', 'Give the HubSpot private app’s access token', [{ path: 'token', message: 'Required the first time' }]);
    this.tokenSaved = true;
    this.deps.sqlite
      .prepare("insert into crm_connection (id, kind, settings, enabled, updated_at) values ('crm', 'hubspot', ?, 1, ?) on conflict(id) do update set kind = excluded.kind, settings = excluded.settings, enabled = 1, updated_at = excluded.updated_at")
      .run(JSON.stringify(settings), this.deps.clock.now());
    this.deps.delivery.setCrmTarget(await this.target(settings), 'HubSpot');
    this.deps.logger.info('CRM connected: HubSpot');
    return this.get();
  }

  async disconnect(): Promise<CrmConnection> {
    this.deps.sqlite.prepare("delete from crm_connection where id = 'crm'").run();
    await this.deps.secrets.delete(TOKEN_KEY);
    this.tokenSaved = false;
    this.deps.delivery.setCrmTarget(null);
    return this.get();
  }

  async test(): Promise<CrmTestResult> {
    const current = this.get();
    if (!current.kind || !current.settings) return { ok: false, latencyMs: null, message: 'No CRM is connected' };
    return (await this.target(current.settings)).test();
  }


  private async target(settings: HubSpotSettings): Promise<HubSpotTarget> {
    const token = await this.deps.secrets.get(TOKEN_KEY);
    if (!token) throw new ParleyError('unavailable', 'The HubSpot token is missing from the secret store; connect again');
    return new HubSpotTarget({ token, settings, facts: callFactsReader(this.deps.sqlite), clock: this.deps.clock, basePath: this.options.hubspotBasePath });
  }
}
