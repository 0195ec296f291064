import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ParleyError, type UpdateStatus } from '../contracts';
import type { AppUpdates } from '../engine/ports/updates';

/** The part of electron-updater's `autoUpdater` the app uses (a stand-in implements it in tests). */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  isUpdaterActive(): boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
  on(event: 'checking-for-update' | 'update-available' | 'update-not-available' | 'download-progress' | 'update-downloaded' | 'error', listener: (arg: never) => void): unknown;
}

interface ReleaseInfo {
  version?: string;
  releaseNotes?: string | Array<{ version: string; note: string | null }> | null;
}

/** Release notes as plain text: GitHub gives HTML, or one note per version between two releases. */
export function releaseNotesText(notes: ReleaseInfo['releaseNotes']): string | null {
  if (!notes) return null;
  const html = Array.isArray(notes) ? notes.map((n) => `${n.version}: ${n.note ?? ''}`).join('\n\n') : notes;
  const text = html
    .replace(/<\s*(br|\/p|\/li|\/h\d)\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text || null;
}

/**
 * The desktop app updating itself from its release feed (GitHub Releases, read by electron-updater
 * from the `app-update.yml` the release build packs). Looks on start when the setting says so (on by
 * default, kept in `<userData>/updates.json`), downloads in the background, and installs only when an
 * admin says "Restart to update" (or at the next quit). A build without a feed, or a development run,
 * says it cannot update instead of failing.
 */
export class DesktopUpdates implements AppUpdates {
  private current: UpdateStatus;
  private readonly listeners = new Set<(status: UpdateStatus) => void>();

  constructor(
    private readonly updater: Updater,
    private readonly options: { settingsFile: string; currentVersion: string; now?: () => number },
  ) {
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    const active = updater.isUpdaterActive();
    this.current = {
      available: active,
      checkOnStart: this.readSetting(),
      state: active ? 'idle' : 'unavailable',
      currentVersion: options.currentVersion,
      version: null,
      releaseNotes: null,
      percent: null,
      detail: active ? 'Not checked yet' : 'This copy of Parley does not update itself (a development run, or a build without an update feed)',
      checkedAt: null,
    };
    updater.on('checking-for-update', () => this.set({ state: 'checking', detail: 'Looking for an update…' }));
    updater.on('update-available', (info: ReleaseInfo) =>
      this.set({ state: 'downloading', version: info.version ?? null, releaseNotes: releaseNotesText(info.releaseNotes), percent: 0, detail: `Downloading Parley ${info.version ?? ''}…`, checkedAt: this.now() }),
    );
    updater.on('update-not-available', () => this.set({ state: 'up-to-date', version: null, percent: null, detail: `Parley ${options.currentVersion} is the latest version`, checkedAt: this.now() }));
    updater.on('download-progress', (progress: { percent?: number }) => this.set({ percent: Math.round(progress.percent ?? 0) }));
    updater.on('update-downloaded', (info: ReleaseInfo) =>
      this.set({ state: 'ready', version: info.version ?? this.current.version, releaseNotes: releaseNotesText(info.releaseNotes) ?? this.current.releaseNotes, percent: 100, detail: `Parley ${info.version ?? ''} is ready: restart to install it` }),
    );
    updater.on('error', (error: Error) => {
      const message = error?.message ?? String(error);
      if (/app-update\.yml/.test(message) && /ENOENT/.test(message)) {
        this.set({ available: false, state: 'unavailable', detail: 'This build has no update feed (installers from the release workflow have one)' });
      } else {
        this.set({ state: 'error', detail: `Could not look for updates: ${message.split('\n')[0]}`, checkedAt: this.now() });
      }
    });
  }

  status(): UpdateStatus {
    return this.current;
  }

  onChange(listener: (status: UpdateStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async check(): Promise<UpdateStatus> {
    if (!this.current.available) return this.current;
    if (this.current.state === 'checking' || this.current.state === 'downloading' || this.current.state === 'ready') return this.current;
    try {
      await this.updater.checkForUpdates();
    } catch {
      // the 'error' event has said what went wrong
    }
    return this.current;
  }

  /** Called once the app is up: looks for an update when the setting says so. */
  checkOnStart(): void {
    if (this.current.checkOnStart) void this.check();
  }

  async setCheckOnStart(enabled: boolean): Promise<UpdateStatus> {
    const temp = `${this.options.settingsFile}.tmp`;
    writeFileSync(temp, JSON.stringify({ checkOnStart: enabled }), { mode: 0o600 });
    renameSync(temp, this.options.settingsFile);
    this.set({ checkOnStart: enabled });
    return this.current;
  }

  async install(): Promise<UpdateStatus> {
    if (this.current.state !== 'ready') throw new ParleyError('conflict', 'No update has been downloaded yet');
    // Closes the windows and quits: the app's will-quit handler ends calls and closes the engine first.
    setImmediate(() => this.updater.quitAndInstall());
    return this.current;
  }

  private readSetting(): boolean {
    try {
      if (!existsSync(this.options.settingsFile)) return true;
      const value = JSON.parse(readFileSync(this.options.settingsFile, 'utf8')) as { checkOnStart?: unknown };
      return value.checkOnStart !== false;
    } catch {
      return true;
    }
  }

  private now(): string {
    return new Date((this.options.now ?? Date.now)()).toISOString();
  }

  private set(patch: Partial<UpdateStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
  }
}
