import type { CarrierState } from '../../contracts';
import { Listeners } from './listeners';

/**
 * A carrier's live state for the Lines screen (ready, registering, unreachable...) and who follows
 * it. A change is announced once; after the carrier is disposed only `offline` is taken.
 */
export class CarrierStatus {
  private state: CarrierState;
  private readonly listeners = new Listeners<CarrierState>();

  constructor(status: CarrierState['status'], detail: string) {
    this.state = { status, detail, since: new Date().toISOString() };
  }

  get current(): CarrierState {
    return this.state;
  }

  onChange(listener: (state: CarrierState) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Returns whether the state changed (and was announced). */
  set(status: CarrierState['status'], detail: string, disposed: boolean): boolean {
    if (disposed && status !== 'offline') return false;
    if (this.state.status === status && this.state.detail === detail) return false;
    this.state = { status, detail, since: new Date().toISOString() };
    this.listeners.emit(this.state);
    return true;
  }

  clear(): void {
    this.listeners.clear();
  }
}
