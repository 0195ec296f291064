import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { AUDIO_IPC } from '../contracts/audio-frames';
import { commandNames } from '../contracts/commands';
import type { EngineEvent } from '../contracts/events';
import { PRELOAD_GLOBAL, type PreloadApi } from '../contracts/preload-api';
import { ipcChannel, type Outcome } from '../contracts/protocol';

/** The page's window (the preload runs in the renderer; this project's Node typings do not know the DOM). */
const pageWindow = globalThis as unknown as { postMessage(message: unknown, targetOrigin: string, transfer: unknown[]): void };

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
  openAudio(token) {
    // The port comes on its own channel; the page gets it as a window message (ports cannot cross the bridge).
    const onPort = (event: IpcRendererEvent, data: { token?: unknown }) => {
      if (data?.token !== token) return;
      ipcRenderer.removeListener(AUDIO_IPC.port, onPort);
      pageWindow.postMessage({ [AUDIO_IPC.windowTag]: token }, '*', event.ports);
    };
    ipcRenderer.on(AUDIO_IPC.port, onPort);
    return ipcRenderer.invoke(AUDIO_IPC.open, token).then((outcome: Outcome) => {
      if (!outcome.ok) ipcRenderer.removeListener(AUDIO_IPC.port, onPort);
      return outcome;
    });
  },
};

api.recording = (callId) => ipcRenderer.invoke(ipcChannel.recording, callId);

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api);
