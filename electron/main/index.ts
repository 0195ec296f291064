import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, session } from 'electron';
import { createEngine, type Engine } from '../engine';
import { registerAudioPorts } from './audio-ports';
import { KeychainSecretStore } from './keychain-secrets';
import { forwardEvents, registerIpcBridge } from './ipc-bridge';
import { createMainWindow } from './window';

// Entry point: the only place in the desktop app that reads the environment.
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');
const iconPath = join(here, '../../resources/icon.png');
const rendererIndexUrl = pathToFileURL(join(rendererDir, 'index.html')).href;

const isTrustedUrl = (url: string) =>
  devServerUrl ? url.startsWith(devServerUrl) : url === rendererIndexUrl || url.startsWith(`${rendererIndexUrl}#`);

let engine: Engine | undefined;

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
    // Deny every permission the console has not been designed to ask for.
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'media'));
    const dataDir = app.getPath('userData');
    // Line passwords go to the OS keychain where there is one; otherwise the engine's encrypted file.
    const secrets = KeychainSecretStore.available() ? new KeychainSecretStore(dataDir) : undefined;
    engine = await createEngine({ dataDir, host: 'electron', version: app.getVersion(), dialer: { mode: 'timer' }, secrets });
    registerIpcBridge(engine, isTrustedUrl);
    registerAudioPorts(engine, isTrustedUrl);
    const open = () => {
      const window = createMainWindow({ preloadPath, devServerUrl, rendererDir, iconPath });
      forwardEvents(engine!, window.webContents);
    };
    open();
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
    void engine.dispose().finally(() => app.quit());
  });
}
