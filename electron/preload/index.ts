import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { commandNames } from '../contracts/commands';
import type { EngineEvent } from '../contracts/events';
import { PRELOAD_GLOBAL, type PreloadApi } from '../contracts/preload-api';
import { ipcChannel } from '../contracts/protocol';

// One method per contract command; the renderer never gets ipcRenderer itself.
const commands = Object.fromEntries(
  commandNames.map((name) => [name, (payload: unknown) => ipcRenderer.invoke(ipcChannel.command(name), payload)]),
) as unknown as PreloadApi['commands'];

const api: PreloadApi = {
  commands,
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, engineEvent: EngineEvent) => listener(engineEvent);
    ipcRenderer.on(ipcChannel.event, handler);
    return () => ipcRenderer.removeListener(ipcChannel.event, handler);
  },
};

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
