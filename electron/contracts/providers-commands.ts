import { z } from 'zod';
import { ProviderKind, ProviderPrices, ProviderRole } from './providers';

const ProviderId = z.string().min(1).max(64);

/** Where and what: an API's base URL and model, or an ElevenLabs voice. Never a key. */
export const ProviderSettings = z
  .object({
    baseUrl: z
      .string()
      .max(500)
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) URLs')
      .optional(),
    model: z.string().min(1).max(200).optional(),
    voiceId: z.string().min(1).max(200).optional(),
  })
  .strict();
export type ProviderSettings = z.infer<typeof ProviderSettings>;

export const Provider = z.object({
  id: ProviderId,
  role: ProviderRole,
  kind: ProviderKind,
  name: z.string(),
  settings: ProviderSettings,
  prices: ProviderPrices,
  /** Whether a key is saved (the key itself never leaves the secret store). */
  hasKey: z.boolean(),
  /** The office's choice for its role: new calls use it. */
  active: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Provider = z.infer<typeof Provider>;

export const ProviderInput = z
  .object({
    role: ProviderRole,
    kind: ProviderKind,
    name: z.string().trim().min(1).max(100),
    settings: ProviderSettings.default({}),
    prices: ProviderPrices.default({}),
    /** Write-only. Absent on an edit keeps the saved key; an empty string deletes it. */
    apiKey: z.string().max(500).optional(),
  })
  .strict();
export type ProviderInput = z.input<typeof ProviderInput>;

export const ProviderTestResult = z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), message: z.string() });
export type ProviderTestResult = z.infer<typeof ProviderTestResult>;

/** How a provider is doing, as its breaker sees it. */
export const ProviderHealth = z.object({
  providerId: ProviderId,
  name: z.string(),
  /** `open`: skipped after repeated failures until `retryAt`; `throttled`: it asked to slow down (429). */
  state: z.enum(['closed', 'open', 'half-open', 'throttled']),
  failures: z.number().int(),
  openedAt: z.number().nullable(),
  retryAt: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type ProviderHealth = z.infer<typeof ProviderHealth>;

export const providerCommands = {
  /** Every provider that has served a call or a test since start, with its breaker's state. */
  'providers.health': { request: z.object({}).strict(), response: z.array(ProviderHealth) },
  'providers.list': { request: z.object({}).strict(), response: z.array(Provider) },
  'providers.create': { request: ProviderInput, response: Provider },
  'providers.update': { request: z.object({ id: ProviderId, provider: ProviderInput }).strict(), response: Provider },
  'providers.remove': { request: z.object({ id: ProviderId }).strict(), response: z.object({ id: ProviderId }) },
  /** A real round trip (a one-line reply, a spoken word) with its latency. */
  'providers.test': { request: z.object({ id: ProviderId }).strict(), response: ProviderTestResult },
  /** The models an OpenAI-compatible server offers (`GET {baseUrl}/models`), before or after saving. */
  'providers.models': {
    request: z.object({ id: ProviderId.optional(), baseUrl: ProviderSettings.shape.baseUrl, apiKey: z.string().max(500).optional() }).strict(),
    response: z.array(z.string()),
  },
  /** Makes a provider the office's choice for its role (null: back to the local model of the model manager). */
  'providers.use': { request: z.object({ role: ProviderRole, id: ProviderId.nullable() }).strict(), response: z.array(Provider) },
} as const;

export const providerEvents = {
  'providers.changed': z.object({}),
} as const;
