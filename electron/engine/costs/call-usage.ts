import type { UsageUnit } from '../../contracts';

export type UsageRole = 'llm' | 'tts' | 'line';

export interface UsageItem {
  role: UsageRole;
  /** The provider row, or for the line item the line's id; null for an engine configured in code. */
  source: string | null;
  unit: UsageUnit;
  quantity: number;
}

/**
 * What one call used, counted as it happens (a few additions per turn, no I/O): tokens each
 * language model reported, characters each billed voice was sent, the line's answered seconds.
 */
export class CallUsage {
  private readonly counts = new Map<string, UsageItem>();

  add(role: UsageRole, source: string | null | undefined, unit: UsageUnit, quantity: number): void {
    if (!(quantity > 0)) return;
    const key = `${role}|${source ?? ''}|${unit}`;
    const item = this.counts.get(key);
    if (item) item.quantity += quantity;
    else this.counts.set(key, { role, source: source ?? null, unit, quantity });
  }

  items(): UsageItem[] {
    return [...this.counts.values()];
  }
}
