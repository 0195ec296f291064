import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import { startupFailureMessage } from './startup-failure';
import { runSmokeCall } from './smoke-test';
import { createEngine, type Engine } from '../engine';
import { OfficeShare } from '../server/office-share';
import { registerAudioPorts } from './audio-ports';
import { KeychainSecretStore } from './keychain-secrets';
import { forwardEvents, registerIpcBridge } from './ipc-bridge';
import { registerRecordingIpc } from './recording-ipc';
import { permissionAllowed, permissionCheckAllowed } from './security';
import { createMainWindow } from './window';
import { createLiveCallsTray } from './live-calls-tray';
import electronUpdater from 'electron-updater';
import { DesktopUpdates } from './app-updates';

// Entry point: the only place in the desktop app that reads the environment.
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');
const iconPath = join(here, '../../resources/icon.png');
const rendererIndexUrl = pathToFileURL(join(rendererDir, 'index.html')).href;

const isTrustedUrl = (url: string) =>
  devServerUrl ? url.startsWith(devServerUrl) : url === rendererIndexUrl || url.startsWith(`${rendererIndexUrl}#`);

/** Origin of the console page (file:// pages report the origin "file://"). */
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';

let engine: Engine | undefined;
let officeShare: OfficeShare | undefined;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.whenReady().then(async () => {
    // Only the microphone, only for the console's own page; every other permission is denied.
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
      callback(permissionAllowed(permission, { requestingUrl: details.requestingUrl, mediaTypes: (details as { mediaTypes?: string[] }).mediaTypes }, isTrustedUrl)),
    );
    session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionCheckAllowed(permission, requestingOrigin, appOrigin));
    // No network port until an admin turns on "share with the office" (then: the same server as parley serve).
    const dataDir = app.getPath('userData');
    // Line passwords go to the OS keychain where there is one; otherwise the engine's encrypted file.
    const secrets = KeychainSecretStore.available() ? new KeychainSecretStore(dataDir) : undefined;
    officeShare = new OfficeShare({ engine: () => engine!, rendererDir, dataDir, version: app.getVersion() });
    const updates = new DesktopUpdates(electronUpdater.autoUpdater, { settingsFile: join(dataDir, 'updates.json'), currentVersion: app.getVersion() });
    try {
      engine = await createEngine({ dataDir, host: 'electron', role: 'app', version: app.getVersion(), dialer: { mode: 'timer' }, secrets, sharing: officeShare, updates });
    } catch (error) {
      const { title, body } = startupFailureMessage(error, dataDir);
      dialog.showErrorBox(title, body);
      app.exit(1);
      return;
    }
    // The release workflow's check of a packaged app: one dry-run call through the packaged engine, no window.
    if (process.argv.includes('--smoke-test')) {
      const result = await runSmokeCall(engine);
      console.log(`smoke test ${result.ok ? 'passed' : 'FAILED'}: ${result.detail}`);
      await engine.dispose();
      app.exit(result.ok ? 0 : 1);
      return;
    }
    registerIpcBridge(engine, isTrustedUrl);
    registerAudioPorts(engine, isTrustedUrl);
    registerRecordingIpc(engine, isTrustedUrl);
    const open = () => {
      const window = createMainWindow({ preloadPath, isTrustedUrl, devServerUrl, rendererDir, iconPath });
      forwardEvents(engine!, window.webContents);
    };
    open();
    createLiveCallsTray({
      iconPath,
      engine,
      show: () => {
        const [window] = BrowserWindow.getAllWindows();
        if (!window) return open();
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
      },
      quit: () => app.quit(),
    });
    // Looked for once the window is up, in the background (the setting is on the Users screen, admins).
    setTimeout(() => updates.checkOnStart(), 10_000).unref();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed || !engine) return;
    event.preventDefault();
    disposed = true;
    void (officeShare?.dispose() ?? Promise.resolve())
      .then(() => engine!.dispose())
      .finally(() => app.quit());
  });
}
