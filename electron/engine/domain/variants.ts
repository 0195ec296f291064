import type { PromptVariant } from '../../contracts';

/**
 * Which A/B variant a contact gets, from its queue position: a fixed spread (Knuth's multiplicative
 * hash) so splits hold on small lists too and a contact keeps its variant across retries.
 */
export function variantFor(variants: readonly PromptVariant[], seq: number): string | null {
  const total = variants.reduce((sum, v) => sum + v.weight, 0);
  if (variants.length === 0 || total <= 0) return null;
  const point = Number((BigInt(seq) * 2654435761n) % 4294967296n) % total;
  let edge = 0;
  for (const v of variants) {
    edge += v.weight;
    if (point < edge) return v.name;
  }
  return variants[variants.length - 1]!.name;
}
