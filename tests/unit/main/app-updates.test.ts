import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../electron/contracts';
import { DesktopUpdates, releaseNotesText, type Updater } from '../../../electron/main/app-updates';

/** A stand-in for electron-updater's autoUpdater: the test says what the feed answers. */
class StandInUpdater extends EventEmitter implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  checks = 0;
  installs = 0;
  constructor(
    private readonly active = true,
    private readonly feed: (u: StandInUpdater) => void = () => undefined,
  ) {
    super();
  }
  isUpdaterActive(): boolean {
    return this.active;
  }
  async checkForUpdates(): Promise<unknown> {
    this.checks++;
    this.emit('checking-for-update');
    this.feed(this);
    return null;
  }
  quitAndInstall(): void {
    this.installs++;
  }
  override on(event: string, listener: (arg: never) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
}

const dirs: string[] = [];
const settingsFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-updates-'));
  dirs.push(dir);
  return join(dir, 'updates.json');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the desktop app updating itself', () => {
  it('looks on start (on by default), downloads in the background, shows the notes, installs only when asked', async () => {
    const updater = new StandInUpdater(true, (u) => {
      u.emit('update-available', { version: '1.2.0', releaseNotes: '<h2>New</h2><ul><li>Twilio lines</li><li>Desk phones &amp; tray</li></ul>' });
      u.emit('download-progress', { percent: 42.4 });
    });
    const updates = new DesktopUpdates(updater, { settingsFile: settingsFile(), currentVersion: '1.1.0', now: () => Date.UTC(2026, 11, 5) });
    const seen: UpdateStatus[] = [];
    updates.onChange((s) => seen.push(s));
    expect(updater.autoDownload).toBe(true);
    expect(updates.status()).toMatchObject({ available: true, checkOnStart: true, state: 'idle', currentVersion: '1.1.0' });
    updates.checkOnStart();
    await new Promise((r) => setImmediate(r));
    expect(updater.checks).toBe(1);
    expect(updates.status()).toMatchObject({ state: 'downloading', version: '1.2.0', percent: 42, checkedAt: '2026-12-05T00:00:00.000Z' });
    expect(updates.status().releaseNotes).toBe('New\n- Twilio lines\n- Desk phones & tray');
    await expect(updates.install()).rejects.toMatchObject({ code: 'conflict' });
    updater.emit('update-downloaded', { version: '1.2.0' });
    expect(updates.status()).toMatchObject({ state: 'ready', detail: 'Parley 1.2.0 is ready: restart to install it', releaseNotes: 'New\n- Twilio lines\n- Desk phones & tray' });
    await updates.install();
    await new Promise((r) => setImmediate(r));
    expect(updater.installs).toBe(1);
    expect(seen.map((s) => s.state)).toEqual(['checking', 'downloading', 'downloading', 'ready']);
  });

  it('the setting is kept across starts; off means no look on start', async () => {
    const file = settingsFile();
    const first = new DesktopUpdates(new StandInUpdater(), { settingsFile: file, currentVersion: '1.1.0' });
    await first.setCheckOnStart(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ checkOnStart: false });
    const updater = new StandInUpdater();
    const second = new DesktopUpdates(updater, { settingsFile: file, currentVersion: '1.1.0' });
    expect(second.status().checkOnStart).toBe(false);
    second.checkOnStart();
    expect(updater.checks).toBe(0);
    await second.check(); // "Check now" still works
    expect(updater.checks).toBe(1);
  });

  it('up to date, offline, a build without a feed, a development run: each says so', async () => {
    const upToDate = new DesktopUpdates(new StandInUpdater(true, (u) => u.emit('update-not-available', {})), { settingsFile: settingsFile(), currentVersion: '1.1.0' });
    expect((await upToDate.check()).detail).toBe('Parley 1.1.0 is the latest version');
    const offline = new DesktopUpdates(new StandInUpdater(true, (u) => u.emit('error', new Error('net::ERR_INTERNET_DISCONNECTED'))), { settingsFile: settingsFile(), currentVersion: '1.1.0' });
    expect(await offline.check()).toMatchObject({ state: 'error', detail: 'Could not look for updates: net::ERR_INTERNET_DISCONNECTED' });
    const noFeed = new DesktopUpdates(new StandInUpdater(true, (u) => u.emit('error', new Error("ENOENT: no such file or directory, open '/opt/Parley/resources/app-update.yml'"))), { settingsFile: settingsFile(), currentVersion: '1.1.0' });
    expect(await noFeed.check()).toMatchObject({ available: false, state: 'unavailable' });
    const dev = new StandInUpdater(false);
    const devRun = new DesktopUpdates(dev, { settingsFile: settingsFile(), currentVersion: '1.1.0' });
    expect(await devRun.check()).toMatchObject({ available: false, state: 'unavailable' });
    expect(dev.checks).toBe(0);
  });

  it('release notes between several versions, and none', () => {
    expect(releaseNotesText([{ version: '1.2.0', note: '<p>Fix</p>' }, { version: '1.3.0', note: null }])).toBe('1.2.0: Fix\n\n1.3.0:');
    expect(releaseNotesText(null)).toBeNull();
  });
});
