import { join } from 'node:path';
import { BrowserWindow, shell } from 'electron';

export interface WindowOptions {
  preloadPath: string;
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
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== window.webContents.getURL()) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());

  if (options.devServerUrl) void window.loadURL(options.devServerUrl);
  else void window.loadFile(join(options.rendererDir, 'index.html'));
  return window;
}
