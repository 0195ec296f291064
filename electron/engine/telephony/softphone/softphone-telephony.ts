import type { CallLeg, DialRequest, Telephony, TelephonyCapabilities } from '../../ports/telephony';
import { SoftphoneLeg } from './softphone-leg';

/**
 * The `softphone` carrier: test calls from a desk agent's own microphone and speakers to a
 * campaign's AI agent. A call is prepared first (its audio stream ticket goes to the console) and
 * dialled by the call launcher like any other; it is answered when the console's stream opens.
 */
export class SoftphoneTelephony implements Telephony {
  readonly name = 'softphone';
  readonly capabilities: TelephonyCapabilities = { answeringMachineDetection: false, dtmf: false, inbound: false };
  private readonly prepared = new Map<string, SoftphoneLeg>();
  private disposed = false;

  /** A line for `callId`, waiting for the launcher's dial and the console's stream. */
  prepare(callId: string): SoftphoneLeg {
    if (this.disposed) throw new Error('The softphone has shut down');
    const leg = new SoftphoneLeg(callId);
    this.prepared.set(callId, leg);
    leg.onEvent((event) => {
      if (event.type === 'hangup' || event.type === 'failed') this.prepared.delete(callId);
    });
    return leg;
  }

  async dial(request: DialRequest): Promise<CallLeg> {
    const leg = this.prepared.get(request.callId);
    if (!leg) throw new Error(`No softphone line was prepared for call ${request.callId}`);
    leg.markDialled();
    return leg;
  }

  get lines(): number {
    return this.prepared.size;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const leg of this.prepared.values()) leg.fail('Parley is shutting down');
    this.prepared.clear();
  }
}
