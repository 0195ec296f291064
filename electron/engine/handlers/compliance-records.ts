import { ParleyError } from '../../contracts';
import { normalisePhone } from '../contacts/phone';
import type { EngineContext, Handler } from './types';

/** The do-not-call list's history and the abandoned-call rates. */
export function complianceRecordHandlers(ctx: EngineContext): {
  'dnc.history': Handler<'dnc.history'>;
  'compliance.abandonment': Handler<'compliance.abandonment'>;
} {
  const { dnc, abandonment } = ctx.dialing;
  return {
    'dnc.history': async ({ phone, defaultRegion }) => {
      const parsed = normalisePhone(phone, defaultRegion);
      // A stored entry that no longer parses is still found by its exact text.
      const target = parsed.ok ? parsed.e164 : phone.trim();
      const entries = await dnc.history(target);
      if (entries.length === 0 && !parsed.ok) throw new ParleyError('invalid_payload', parsed.reason, [{ path: 'phone', message: parsed.reason }]);
      return { phone: target, onList: (await dnc.find(target)) !== undefined, entries };
    },
    'compliance.abandonment': async ({ campaignId }) => (campaignId ? [abandonment.rate(campaignId)] : abandonment.rates()),
  };
}
