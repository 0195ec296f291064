import { accessHandlers } from './access';
import { analyticsHandlers } from './analytics';
import { callbackHandlers } from './callbacks';
import { campaignHandlers } from './campaigns';
import { complianceHandlers } from './compliance';
import { contactHandlers } from './contacts';
import { complianceRecordHandlers } from './compliance-records';
import { dialerHandlers } from './dialer';
import { lineHandlers } from './lines';
import { modelHandlers } from './models';
import { segmentHandlers } from './segments';
import { supervisionHandlers } from './supervision';
import type { CommandHandlers, EngineContext } from './types';
import { voiceHandlers } from './voice';
import { reviewHandlers } from './review';
import { deliveryHandlers } from './delivery';
import { providerHandlers } from './providers';
import { budgetHandlers } from './budgets';
import { crmHandlers } from './crm';
import { apiTokenHandlers } from './api-tokens';
import { updateHandlers } from './updates';

/** Joins every domain's handlers into the one map; the type fails to check if a command has none. */
export function createHandlers(ctx: EngineContext): CommandHandlers {
  return {
    'app.info': async () => ctx.info,
    ...accessHandlers(ctx),
    ...campaignHandlers(ctx),
    ...voiceHandlers(ctx),
    ...supervisionHandlers(ctx),
    ...analyticsHandlers(ctx),
    ...modelHandlers(ctx),
    ...contactHandlers(ctx),
    ...complianceRecordHandlers(ctx),
    ...segmentHandlers(ctx),
    ...dialerHandlers(ctx),
    ...lineHandlers(ctx),
    ...complianceHandlers(ctx),
    ...reviewHandlers(ctx),
    ...callbackHandlers(ctx),
    ...deliveryHandlers(ctx),
    ...updateHandlers(ctx),
    ...providerHandlers(ctx),
    ...budgetHandlers(ctx),
    ...crmHandlers(ctx),
    ...apiTokenHandlers(ctx),
  };
}

export type { CommandHandlers, EngineContext } from './types';
