import type { EngineContext, Handler } from './types';

/** Spending limits: the office's and each campaign's, with what was spent today and this month. */
export function budgetHandlers(ctx: EngineContext): {
  'budgets.list': Handler<'budgets.list'>;
  'budgets.get': Handler<'budgets.get'>;
  'budgets.set': Handler<'budgets.set'>;
} {
  return {
    'budgets.list': async () => ctx.budgets.list(),
    'budgets.get': async ({ scope }) => ctx.budgets.get(scope),
    'budgets.set': async ({ scope, dailyUsd, monthlyUsd }, actor) => ctx.budgets.set(scope, dailyUsd, monthlyUsd, actor.username),
  };
}
