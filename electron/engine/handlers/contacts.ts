import { ParleyError } from '../../contracts';
import { exportPage } from '../contacts/csv-export';
import { previewImport } from '../contacts/import-preview';
import { normalisePhone } from '../contacts/phone';
import type { EngineContext, Handler } from './types';

/** Contacts, imports and exports, and the do-not-call list. */
export function contactHandlers(ctx: EngineContext): {
  'contacts.list': Handler<'contacts.list'>;
  'contacts.get': Handler<'contacts.get'>;
  'contacts.update': Handler<'contacts.update'>;
  'contacts.fields': Handler<'contacts.fields'>;
  'contacts.previewImport': Handler<'contacts.previewImport'>;
  'contacts.importBegin': Handler<'contacts.importBegin'>;
  'contacts.importChunk': Handler<'contacts.importChunk'>;
  'contacts.importFinish': Handler<'contacts.importFinish'>;
  'contacts.importCancel': Handler<'contacts.importCancel'>;
  'contacts.exportPage': Handler<'contacts.exportPage'>;
  'dnc.list': Handler<'dnc.list'>;
  'dnc.add': Handler<'dnc.add'>;
  'dnc.remove': Handler<'dnc.remove'>;
} {
  const { contacts, segments, imports, dnc } = ctx.dialing;
  const filterFor = async (segmentId: string | undefined) => (segmentId ? segments.filterOf(segmentId) : undefined);
  return {
    'contacts.list': async ({ search, segmentId, filter, offset, limit }) =>
      contacts.list({ search, filter: filter ?? (await filterFor(segmentId)), offset, limit }),
    'contacts.get': ({ id }) => contacts.get(id),
    'contacts.update': async ({ id, patch }) => {
      const contact = await contacts.update(id, patch);
      ctx.events.emit('contacts.changed', { reason: 'update', count: 1 });
      return contact;
    },
    'contacts.fields': () => contacts.fields(),
    'contacts.previewImport': async ({ sample, complete, delimiter }) =>
      previewImport(Buffer.from(sample, 'base64'), { complete, delimiter }),
    'contacts.importBegin': async ({ fileName, options }) => ({ importId: imports.begin(fileName, options) }),
    'contacts.importChunk': ({ importId, data }) => imports.chunk(importId, Buffer.from(data, 'base64')),
    'contacts.importFinish': async ({ importId }) => {
      const report = await imports.finish(importId);
      if (!report.checkOnly && report.imported + report.updated > 0) {
        ctx.events.emit('contacts.changed', { reason: report.target === 'dnc' ? 'dnc' : 'import', count: report.imported + report.updated });
      }
      return report;
    },
    'contacts.importCancel': async ({ importId }) => {
      imports.cancel(importId);
      return { importId };
    },
    'contacts.exportPage': async ({ segmentId, after, limit, customFields }) =>
      exportPage(ctx.store.db, { filter: await filterFor(segmentId), after, limit, now: ctx.clock.now(), customFields, header: after === 0 }),
    'dnc.list': (query) => dnc.list(query),
    'dnc.add': (request, actor) =>
      ctx.dialing.markDoNotCall({
        by: actor.displayName,
        phone: request.phone,
        contactId: request.contactId,
        callId: request.callId,
        reason: request.reason,
        source: request.source,
        defaultRegion: request.defaultRegion,
      }),
    'dnc.remove': async ({ phone, reason, defaultRegion }, actor) => {
      const parsed = normalisePhone(phone, defaultRegion);
      // A stored entry that no longer parses can still be removed by its exact text.
      const target = parsed.ok ? parsed.e164 : phone.trim();
      const removed = await dnc.remove({ phone: target, reason, by: actor.displayName });
      if (!removed && !parsed.ok) throw new ParleyError('invalid_payload', parsed.reason, [{ path: 'phone', message: parsed.reason }]);
      if (removed) {
        ctx.logger.info('number removed from the do-not-call list');
        ctx.events.emit('dnc.changed', { phone: target, onList: false });
      }
      return { phone: target, removed };
    },
  };
}
