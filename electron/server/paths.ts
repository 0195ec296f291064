import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Parley keeps its data when no --data is given: the same folder the desktop app uses
 * (Electron's userData for an app named "Parley"), so both hosts share one store.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PARLEY_DATA_DIR) return env.PARLEY_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Parley');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Parley');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Parley');
}
