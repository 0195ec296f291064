/**
 * A Twilio line keeps three secrets under its one secret-store entry: the account's auth token (REST
 * and webhook signatures), the API key's secret (desk agents' Voice SDK tokens) and the ngrok
 * authtoken (the tunnel). Stored as one JSON object; an older plain string is the auth token.
 */
export interface TwilioLineSecrets {
  authToken?: string;
  apiKeySecret?: string;
  tunnelAuthtoken?: string;
}

export function parseTwilioSecrets(stored: string | undefined): TwilioLineSecrets {
  if (!stored) return {};
  if (!stored.startsWith('{')) return { authToken: stored };
  try {
    const value = JSON.parse(stored) as Record<string, unknown>;
    const pick = (key: string) => (typeof value[key] === 'string' && value[key] !== '' ? (value[key] as string) : undefined);
    return { authToken: pick('authToken'), apiKeySecret: pick('apiKeySecret'), tunnelAuthtoken: pick('tunnelAuthtoken') };
  } catch {
    return {};
  }
}

/**
 * Applies an edit: a field absent keeps the saved value, an empty string deletes it. Returns the
 * value to store, or undefined when nothing is left.
 */
export function mergeTwilioSecrets(stored: string | undefined, edit: { [K in keyof TwilioLineSecrets]?: string }): string | undefined {
  const next: TwilioLineSecrets = { ...parseTwilioSecrets(stored) };
  for (const key of ['authToken', 'apiKeySecret', 'tunnelAuthtoken'] as const) {
    const value = edit[key];
    if (value === undefined) continue;
    if (value === '') delete next[key];
    else next[key] = value;
  }
  return Object.values(next).some((v) => v !== undefined) ? JSON.stringify(next) : undefined;
}
