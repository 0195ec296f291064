import type { CarrierState, LineTestResult } from '../../../contracts';
import type { CallLeg, DialRequest, Telephony, TelephonyCapabilities } from '../../ports/telephony';

/**
 * A line of kind `simulated`: the engine's one simulated carrier seen through a line. Every line of
 * this kind shares that carrier (the voice runtime owns and disposes it), so disposing the line
 * only stops new calls on it.
 */
export class SimulatedLine implements Telephony {
  readonly name: string;
  readonly capabilities: TelephonyCapabilities;
  private readonly since = new Date().toISOString();
  private closed = false;

  constructor(private readonly shared: Telephony) {
    this.name = shared.name;
    this.capabilities = shared.capabilities;
  }

  dial(request: DialRequest): Promise<CallLeg> {
    if (this.closed) return Promise.reject(new Error('This simulated line was removed'));
    return this.shared.dial(request);
  }

  state(): CarrierState {
    return { status: 'ready', detail: 'Simulated callers answer every number: campaigns on this line are dry runs', since: this.since };
  }

  async test(): Promise<LineTestResult> {
    return { ok: true, verdict: 'Simulated line: every number is answered by a simulated caller (no network involved)', latencyMs: 0 };
  }

  async dispose(): Promise<void> {
    this.closed = true;
  }
}
