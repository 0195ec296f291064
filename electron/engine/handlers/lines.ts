import { randomUUID } from 'node:crypto';
import { ParleyError, type LineInput } from '../../contracts';
import { LIVE_STATUSES } from '../domain/campaign-lifecycle';
import type { LineFields } from '../lines/lines-repository';
import { lineSecretKey } from '../secrets/secret-store';
import { mergeTwilioSecrets } from '../telephony/twilio/line-secrets';
import { TwilioTelephony } from '../telephony/twilio/telephony';
import type { EngineContext, Handler } from './types';
import type { z } from 'zod';

type ParsedLine = z.output<typeof LineInput>;

/** Lines: configured carriers. Passwords go to the secret store only; a line says whether it has one. */
export function lineHandlers(ctx: EngineContext): {
  'lines.list': Handler<'lines.list'>;
  'lines.get': Handler<'lines.get'>;
  'lines.create': Handler<'lines.create'>;
  'lines.update': Handler<'lines.update'>;
  'lines.remove': Handler<'lines.remove'>;
  'lines.test': Handler<'lines.test'>;
  'lines.twilioNumbers': Handler<'lines.twilioNumbers'>;
  'phone.token': Handler<'phone.token'>;
} {
  const { lines, carriers, secrets } = ctx.lines;

  /** An inbound route must name an inbound campaign that exists. */
  const checkRoute = async (campaignId: string | null, path: string) => {
    if (!campaignId) return;
    const campaign = await ctx.repos.campaigns.get(campaignId).catch(() => undefined);
    if (!campaign) throw new ParleyError('invalid_payload', 'That campaign does not exist (deleted?)', [{ path, message: 'Choose an existing inbound campaign' }]);
    if (campaign.direction !== 'inbound') throw new ParleyError('invalid_payload', `"${campaign.name}" is an outbound campaign; calls arriving on a line are answered by an inbound campaign`, [{ path, message: 'Choose an inbound campaign' }]);
  };

  /** Saves, keeps or deletes the line's secret; returns whether one is saved afterwards. */
  const storeSecret = async (id: string, input: ParsedLine, had: boolean): Promise<boolean> => {
    if (input.kind === 'twilio') {
      // Three secrets in one entry: each absent field keeps its saved value, an empty one deletes it.
      const edit = { authToken: input.password, apiKeySecret: input.apiKeySecret, tunnelAuthtoken: input.tunnelAuthtoken };
      if (Object.values(edit).every((v) => v === undefined)) return had;
      const next = mergeTwilioSecrets(had ? await secrets.get(lineSecretKey(id)) : undefined, edit);
      if (next === undefined) {
        if (had) await secrets.delete(lineSecretKey(id));
        return false;
      }
      await secrets.set(lineSecretKey(id), next);
      return true;
    }
    const password = input.kind === 'simulated' ? '' : input.password;
    if (password === undefined) return had;
    if (password === '') {
      if (had) await secrets.delete(lineSecretKey(id));
      return false;
    }
    await secrets.set(lineSecretKey(id), password);
    return true;
  };

  const fieldsOf = (input: ParsedLine): LineFields => {
    const { password: _password, apiKeySecret: _apiKeySecret, tunnelAuthtoken: _tunnelAuthtoken, ...fields } = input as ParsedLine & { password?: string; apiKeySecret?: string; tunnelAuthtoken?: string };
    return fields;
  };

  return {
    'lines.list': async () => (await lines.list()).map((line) => carriers.view(line)),
    'lines.get': async ({ id }) => carriers.view(await lines.get(id)),
    'lines.create': async (input) => {
      await checkRoute(input.inboundCampaignId, 'inboundCampaignId');
      const id = randomUUID();
      const hasSecret = await storeSecret(id, input, false);
      const line = await lines.create(fieldsOf(input), hasSecret, id).catch(async (error: unknown) => {
        if (hasSecret) await secrets.delete(lineSecretKey(id));
        throw error;
      });
      await carriers.set(line);
      ctx.logger.info({ lineId: id, kind: line.kind }, 'line added');
      const view = carriers.view(line);
      ctx.events.emit('line.changed', { id, line: view });
      return view;
    },
    'lines.update': async ({ id, line: input }) => {
      const before = await lines.get(id);
      if (before.kind !== input.kind) throw new ParleyError('invalid_payload', `A line keeps its kind (${before.kind}); add a new line for another kind`, [{ path: 'line.kind', message: 'The kind cannot change' }]);
      await checkRoute(input.inboundCampaignId, 'line.inboundCampaignId');
      const hasSecret = await storeSecret(id, input, before.hasSecret);
      const line = await lines.update(id, fieldsOf(input), hasSecret);
      await carriers.set(line);
      ctx.logger.info({ lineId: id }, 'line edited; its carrier was rebuilt');
      const view = carriers.view(line);
      ctx.events.emit('line.changed', { id, line: view });
      return view;
    },
    'lines.remove': async ({ id }) => {
      const line = await lines.get(id);
      const users = (await ctx.repos.campaigns.list()).filter((c) => c.lineId === id && LIVE_STATUSES.includes(c.status));
      if (users.length > 0) throw new ParleyError('conflict', `Campaign "${users[0]!.name}" is ${users[0]!.status} on this line; pause or stop it first`);
      await carriers.remove(id);
      await lines.remove(id);
      if (line.hasSecret) await secrets.delete(lineSecretKey(id));
      ctx.logger.info({ lineId: id }, 'line removed');
      ctx.events.emit('line.changed', { id, line: null });
      return { id };
    },
    'lines.test': async ({ id }) => {
      await lines.get(id);
      await carriers.ensure(id);
      const carrier = carriers.carrier(id);
      if (!carrier) return { ok: false, verdict: carriers.state(id).detail, latencyMs: null };
      if (!carrier.test) return { ok: true, verdict: `${carrier.name}: this carrier has no round trip to test; it is ready`, latencyMs: null };
      return carrier.test();
    },
    'lines.twilioNumbers': async ({ id }) => {
      const line = await lines.get(id);
      if (line.kind !== 'twilio') throw new ParleyError('invalid_payload', `"${line.name}" is not a Twilio line`);
      await carriers.ensure(id);
      const carrier = carriers.carrier(id);
      if (!(carrier instanceof TwilioTelephony)) throw new ParleyError('unavailable', carriers.state(id).detail);
      try {
        return await carrier.numbers();
      } catch (error) {
        throw new ParleyError('unavailable', (error as Error).message);
      }
    },
    'phone.token': async ({ lineId }, actor) => {
      const all = await lines.list();
      const line = lineId ? all.find((l) => l.id === lineId) : all.find((l) => l.kind === 'twilio' && typeof l.settings.apiKeySid === 'string');
      if (!line) throw new ParleyError('not_found', lineId ? 'No such line' : 'No Twilio line with an API key for desk phones');
      if (line.kind !== 'twilio') throw new ParleyError('invalid_payload', `"${line.name}" is not a Twilio line`);
      await carriers.ensure(line.id);
      const carrier = carriers.carrier(line.id);
      if (!(carrier instanceof TwilioTelephony)) throw new ParleyError('unavailable', carriers.state(line.id).detail);
      try {
        const { token, expiresAt } = await carrier.phoneToken(actor.userId);
        return { token, identity: actor.userId, lineId: line.id, expiresAt };
      } catch (error) {
        throw new ParleyError('unavailable', (error as Error).message);
      }
    },
  };
}
