import type { EngineContext, Handler } from './types';

type ReviewCommand =
  | 'calls.list'
  | 'calls.get'
  | 'calls.exportPage'
  | 'calls.addNote'
  | 'calls.setLegalHold'
  | 'views.list'
  | 'views.save'
  | 'views.delete'
  | 'retention.purge'
  | 'retention.log'
  | 'privacy.erasePreview'
  | 'privacy.erase';

/** The calls list and call page, notes, saved views, retention and erasure. */
export function reviewHandlers(ctx: EngineContext): { [K in ReviewCommand]: Handler<K> } {
  const review = ctx.review;
  return {
    'calls.list': async ({ filter, sort, after, limit }, actor) => {
      const started = performance.now();
      const page = review.calls.page({ filter, sort, after, limit, scope: review.scopeOf(actor) });
      return { ...page, queryMs: Math.round((performance.now() - started) * 10) / 10 };
    },
    'calls.get': async ({ callId }) => review.pages.read(callId),
    'calls.exportPage': async ({ filter, sort, after, limit }, actor) => review.exportPage(actor, { filter, sort, after, limit }),
    'calls.addNote': async ({ callId, text }, actor) => review.store.addNote(callId, text, actor),
    'calls.setLegalHold': async ({ callId, hold }) => review.store.setLegalHold(callId, hold),
    'views.list': async (_request, actor) => review.store.views(actor),
    'views.save': async ({ name, query }, actor) => review.store.saveView(actor, name, query),
    'views.delete': async ({ id }, actor) => review.store.deleteView(actor, id),
    'retention.purge': async (_request, actor) => review.retention.purge(actor),
    'retention.log': async ({ limit }) =>
      (
        ctx.store.sqlite.prepare('select id, at, call_id, campaign_id, kind, detail from retention_purges order by id desc limit ?').all(limit) as Array<{
          id: number;
          at: number;
          call_id: string;
          campaign_id: string | null;
          kind: string;
          detail: string;
        }>
      ).map((r) => ({ id: r.id, at: r.at, callId: r.call_id, campaignId: r.campaign_id, kind: r.kind, detail: JSON.parse(r.detail) as Record<string, unknown> })),
    'privacy.erasePreview': async ({ contactId }) => review.erasure.preview(contactId),
    'privacy.erase': async ({ contactId }, actor) => review.erasure.erase(contactId, actor),
  };
}
