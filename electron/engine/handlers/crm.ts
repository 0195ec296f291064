import type { EngineContext, Handler } from './types';

/** The office's CRM connection (HubSpot): connect with a private app token, test, disconnect. */
export function crmHandlers(ctx: EngineContext): {
  'crm.get': Handler<'crm.get'>;
  'crm.connect': Handler<'crm.connect'>;
  'crm.disconnect': Handler<'crm.disconnect'>;
  'crm.test': Handler<'crm.test'>;
} {
  return {
    'crm.get': async () => ctx.crm.get(),
    'crm.connect': async ({ token, settings }) => ctx.crm.connect(token, settings),
    'crm.disconnect': async () => ctx.crm.disconnect(),
    'crm.test': async () => ctx.crm.test(),
  };
}
