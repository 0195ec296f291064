import { Menu, Tray } from 'electron';
import type { Engine } from '../engine';
import { LiveCallCount, liveCallsLabel } from './live-call-count';

/**
 * A tray icon with the number of calls in progress (in the tooltip, the menu and, on macOS, beside the
 * icon), so a desk agent sees the office is calling with the window closed. Click: show the window.
 */
export function createLiveCallsTray(options: { iconPath: string; engine: Engine; show(): void; quit(): void }): () => void {
  const tray = new Tray(options.iconPath);
  const count = new LiveCallCount();
  const render = () => {
    const label = liveCallsLabel(count.size);
    tray.setToolTip(label);
    if (process.platform === 'darwin') tray.setTitle(count.size > 0 ? String(count.size) : '');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label, enabled: false },
        { type: 'separator' },
        { label: 'Show Parley', click: options.show },
        { label: 'Quit Parley', click: options.quit },
      ]),
    );
  };
  render();
  tray.on('click', options.show);
  const off = options.engine.subscribe((event) => {
    if (count.onEvent(event)) render();
  });
  return () => {
    off();
    tray.destroy();
  };
}
