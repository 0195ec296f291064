/**
 * Where passwords and tokens live (SIP passwords, ARI passwords, carrier tokens): never in SQLite,
 * never in logs. The desktop app supplies one backed by the OS keychain (Electron safeStorage);
 * `parley serve` and the CLI use the encrypted file in the data folder.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The key of a line's secret in the store. */
export function lineSecretKey(lineId: string): string {
  return `line:${lineId}`;
}
