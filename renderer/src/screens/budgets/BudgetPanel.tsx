import { useCallback, useEffect, useState } from 'react';
import { roleAtLeast, type Budget, type Role } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useSession } from '../../store/session';
import './budgets.css';

const money = (n: number | null) => (n === null ? 'no limit' : `$${n.toFixed(2)}`);
const amount = (text: string) => (text.trim() === '' ? null : Number(text));

/** One spending limit (the office's or a campaign's): spend today and this month; admins change the limits. */
export function BudgetPanel({ scope }: { scope: 'office' | string }) {
  const client = useClient();
  const role: Role | undefined = useSession((s) => s.user?.role);
  const [budget, setBudget] = useState<Budget>();
  const [daily, setDaily] = useState('');
  const [monthly, setMonthly] = useState('');
  const [problem, setProblem] = useState<string>();

  const sees = role ? roleAtLeast(role, 'manager') : false;
  const load = useCallback(async () => {
    if (!sees) return;
    try {
      const b = await client.call('budgets.get', { scope });
      setBudget(b);
      setDaily(b.dailyUsd === null ? '' : String(b.dailyUsd));
      setMonthly(b.monthlyUsd === null ? '' : String(b.monthlyUsd));
    } catch (error) {
      setProblem((error as Error).message);
    }
  }, [client, scope, sees]);
  useEffect(() => {
    void load();
    return client.on('office.alert', (alert) => {
      if (alert.id.startsWith('budget:')) void load();
    });
  }, [client, load]);

  const save = async () => {
    try {
      setBudget(await client.call('budgets.set', { scope, dailyUsd: amount(daily), monthlyUsd: amount(monthly) }));
      setProblem(undefined);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  if (!budget) return problem ? <p className="field-error small">{problem}</p> : null;
  const admin = role ? roleAtLeast(role, 'admin') : false;
  return (
    <section className={`budget-panel ${budget.state}`} data-testid="budget-panel">
      <h3>{scope === 'office' ? 'Office spending limit' : 'Budget'}</h3>
      <p className="small" data-testid="budget-spend">
        Today {money(budget.spentTodayUsd)} of {money(budget.dailyUsd)} · this month {money(budget.spentMonthUsd)} of {money(budget.monthlyUsd)}
        {budget.state === 'warning' && ' · over 80%'}
        {budget.state === 'reached' && ' · limit reached: dialing is paused'}
      </p>
      {admin && (
        <div className="budget-form">
          <label className="small">
            Daily limit ($)
            <input inputMode="decimal" value={daily} onChange={(e) => setDaily(e.target.value)} data-testid="budget-daily" />
          </label>
          <label className="small">
            Monthly limit ($)
            <input inputMode="decimal" value={monthly} onChange={(e) => setMonthly(e.target.value)} data-testid="budget-monthly" />
          </label>
          <button className="ghost" onClick={save} data-testid="budget-save">
            Save limits
          </button>
        </div>
      )}
      {problem && <p className="field-error small">{problem}</p>}
      {budget.updatedBy && <p className="muted small">Last changed by {budget.updatedBy}</p>}
    </section>
  );
}
