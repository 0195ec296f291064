import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { commandNames, ipcChannel, type Outcome } from '../contracts';
import type { Engine } from '../engine';

/**
 * Carries contract commands from the renderer to the engine. Each command has its own channel;
 * the sender frame is checked before anything runs, and the engine validates the payload.
 */
export function registerIpcBridge(engine: Engine, isTrustedUrl: (url: string) => boolean): () => void {
  for (const name of commandNames) {
    ipcMain.handle(ipcChannel.command(name), async (event: IpcMainInvokeEvent, payload: unknown): Promise<Outcome> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url)) {
        engine.context.logger.warn({ command: name, url }, 'rejected IPC from an untrusted frame');
        return { ok: false, error: { code: 'forbidden', message: 'Commands are accepted only from the Parley console' } };
      }
      // The app's own window is the local admin (the person at this desktop owns the data folder).
      return engine.invokeAs(engine.localActor('ipc'), name, payload);
    });
  }
  return () => {
    for (const name of commandNames) ipcMain.removeHandler(ipcChannel.command(name));
  };
}

/** Forwards engine events to a window for as long as it lives. */
export function forwardEvents(engine: Engine, contents: WebContents): () => void {
  const off = engine.subscribe((event) => {
    if (!contents.isDestroyed()) contents.send(ipcChannel.event, event);
  });
  contents.once('destroyed', off);
  return off;
}
