import type { UpdateStatus } from '../../contracts';

/** What a host offers for updating itself; the desktop app implements it with electron-updater. */
export interface AppUpdates {
  status(): UpdateStatus;
  check(): Promise<UpdateStatus>;
  setCheckOnStart(enabled: boolean): Promise<UpdateStatus>;
  install(): Promise<UpdateStatus>;
  onChange(listener: (status: UpdateStatus) => void): () => void;
}
