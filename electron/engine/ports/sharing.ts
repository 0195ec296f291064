import type { SharingOptions, SharingStatus } from '../../contracts';

/** What a host offers for "share with the office"; the desktop app implements it with the server of `parley serve`. */
export interface OfficeSharing {
  status(): SharingStatus;
  start(options: SharingOptions): Promise<SharingStatus>;
  stop(): Promise<SharingStatus>;
}
