/**
 * What the desktop app shows when the engine cannot start (a damaged database, a data folder it
 * cannot write, a full disk): the reason in the engine's own words and the data folder, instead of
 * no window at all. Pure, so the words are tested without Electron.
 */
export function startupFailureMessage(error: unknown, dataDir: string): { title: string; body: string } {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    title: 'Parley could not start',
    body: [reason, '', `Data folder: ${dataDir}`, '', 'Nothing was changed. After fixing the cause, start Parley again. The command line can check and restore the database: parley db check / parley db backups / parley db restore.'].join('\n'),
  };
}
