/** Statistics the dashboard needs, kept small and exact rather than pulling in a stats library. */

export interface ProportionTest {
  z: number;
  /** Two-sided p-value. */
  pValue: number;
}

/**
 * Two-proportion z-test with pooled variance: is x1/n1 different from x2/n2? Returns null when a
 * group is empty or the pooled proportion is 0 or 1 (no variance: nothing to test).
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ProportionTest | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return null;
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

/** Standard normal CDF via the complementary error function (Numerical Recipes erfc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  return 1 - 0.5 * erfc(x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Plain-language reading of a test result for managers. */
export function significanceNote(a: string, b: string, rateA: number, rateB: number, test: ProportionTest, alpha = 0.05): string {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const p = test.pValue < 0.001 ? 'p < 0.001' : `p = ${test.pValue.toFixed(3)}`;
  if (test.pValue < alpha) {
    const [winner, loser] = rateA >= rateB ? [a, b] : [b, a];
    return `${winner} converts better than ${loser} (${pct(Math.max(rateA, rateB))} vs ${pct(Math.min(rateA, rateB))}, ${p}): significant at ${Math.round((1 - alpha) * 100)}%.`;
  }
  return `No significant difference yet between ${a} (${pct(rateA)}) and ${b} (${pct(rateB)}), ${p}; keep both running to collect more calls.`;
}

/** Linear-interpolated percentile of an ascending array (same definition as numpy's default). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const index = (sorted.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (index - lo);
}
