import { z } from 'zod';

/**
 * Spending limits in US dollars, for the office and per campaign, per day and per month (the host's
 * calendar). Spend is the sum of the calls' recorded costs (dry runs excluded). At 80% an alert; at
 * 100% the campaign (or, for the office limit, every running campaign) pauses; calls in progress
 * finish. Only an admin changes a limit, and every change is audited.
 */
const Usd = z.number().min(0).max(10_000_000);

export const BudgetScope = z.union([z.literal('office'), z.string().min(1).max(64)]);

export const Budget = z.object({
  /** `office` or a campaign id. */
  scope: z.string(),
  name: z.string(),
  dailyUsd: Usd.nullable(),
  monthlyUsd: Usd.nullable(),
  spentTodayUsd: z.number(),
  spentMonthUsd: z.number(),
  /** `warning` from 80% of a limit, `reached` at 100%. */
  state: z.enum(['ok', 'warning', 'reached']),
  updatedAt: z.number().nullable(),
  updatedBy: z.string().nullable(),
});
export type Budget = z.infer<typeof Budget>;

export const budgetCommands = {
  /** The office budget and every campaign's (campaigns without limits show their spend). */
  'budgets.list': { request: z.object({}).strict(), response: z.array(Budget) },
  'budgets.get': { request: z.object({ scope: BudgetScope }).strict(), response: Budget },
  'budgets.set': {
    request: z.object({ scope: BudgetScope, dailyUsd: Usd.nullable(), monthlyUsd: Usd.nullable() }).strict(),
    response: Budget,
  },
} as const;
