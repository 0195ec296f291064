import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';
import { externalLinkAllowed, navigationAllowed } from './security';

export interface WindowOptions {
  preloadPath: string;
  /** The console's own URL(s): navigation, redirects and frames may go nowhere else. */
  isTrustedUrl: (url: string) => boolean;
  /** Dev server URL (electron-vite dev) or undefined to load the built console from disk. */
  devServerUrl: string | undefined;
  rendererDir: string;
  iconPath: string;
}

/** The console window: isolated, sandboxed, no Node, no navigation away, no new windows. */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Parley',
    icon: options.iconPath,
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());

  window.webContents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!navigationAllowed(url, options.isTrustedUrl)) event.preventDefault();
  };
  window.webContents.on('will-navigate', (event, url) => guard(event, url));
  window.webContents.on('will-redirect', (event, url) => guard(event, url));
  window.webContents.on('will-frame-navigate', (event) => guard(event, event.url));
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadFile(join(options.rendererDir, 'index.html'));
  return window;
}
