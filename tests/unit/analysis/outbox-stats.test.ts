import { describe, expect, it } from 'vitest';
import { toTimeRange } from '../../../electron/engine/analytics/date-range';
import { neutraliseFormula } from '../../../electron/engine/analytics/csv-export';
import { normalCdf, percentileOfSorted, significanceNote, twoProportionZTest } from '../../../electron/engine/analytics/stats';

describe('dashboard statistics', () => {
  it('two-proportion z-test matches a worked example', () => {
    // 120/1000 vs 90/1000: pooled 0.105, se 0.01371, z 2.188, p 0.0287.
    const test = twoProportionZTest(120, 1000, 90, 1000)!;
    expect(test.z).toBeCloseTo(2.188, 2);
    expect(test.pValue).toBeCloseTo(0.0287, 3);
    expect(twoProportionZTest(0, 10, 0, 10)).toBeNull();
    expect(twoProportionZTest(1, 0, 1, 10)).toBeNull();
    expect(significanceNote('B', 'A', 0.12, 0.09, test)).toMatch(/^B converts better than A .*significant at 95%/);
    expect(significanceNote('A', 'B', 0.1, 0.11, twoProportionZTest(10, 100, 11, 100)!)).toMatch(/No significant difference yet/);
  });

  it('normal CDF and percentiles are exact enough', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(percentileOfSorted([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentileOfSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55, 6);
    expect(percentileOfSorted([], 0.5)).toBeNull();
  });

  it('date filters cover whole days in the console time zone and reject nonsense', () => {
    const range = toTimeRange({ from: '2026-01-05', to: '2026-01-05', tzOffsetMinutes: 60 });
    expect(range.fromMs).toBe(Date.UTC(2026, 0, 4, 23));
    expect(range.toMs).toBe(Date.UTC(2026, 0, 5, 23));
    expect(toTimeRange({}).fromMs).toBeLessThan(0);
    expect(() => toTimeRange({ from: '2026-02-30' })).toThrow(/Not a real date/);
    expect(() => toTimeRange({ from: '2026-01-10', to: '2026-01-01' })).toThrow(/before the end/);
  });

  it('CSV cells that a spreadsheet would run as formulas are neutralised, phone numbers kept', () => {
    expect(neutraliseFormula('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('+15551234567')).toBe('+15551234567');
    expect(neutraliseFormula('plain')).toBe('plain');
  });
});
