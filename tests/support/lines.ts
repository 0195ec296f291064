import { randomUUID } from 'node:crypto';
import type { Line } from '../../electron/contracts';
import type { Engine } from '../../electron/engine';
import type { CallLeg, DialRequest, IncomingCall, Telephony, TelephonyCapabilities } from '../../electron/engine/ports/telephony';
import type { LineFactories } from '../../electron/engine/telephony/line-factories';
import type { SimulatedTelephony } from '../../electron/engine/telephony/simulated/carrier';

/**
 * A test double for a real carrier: a "sip" line whose far end is the engine's simulated caller.
 * Campaigns on it are not dry runs, so tests can check what real calls write (do-not-call from a
 * call, contact attempts, the CRM outbox). It also lets a test ring the line (`ring`).
 */
export class LineOverSimulated implements Telephony {
  readonly name: string;
  readonly capabilities: TelephonyCapabilities;
  private incoming: ((call: IncomingCall) => void) | undefined;
  disposed = false;

  constructor(private readonly far: Telephony) {
    this.name = far.name;
    this.capabilities = { ...far.capabilities, inbound: true };
  }

  dial(request: DialRequest): Promise<CallLeg> {
    return this.far.dial(request);
  }

  onIncoming(handler: (call: IncomingCall) => void): () => void {
    this.incoming = handler;
    return () => (this.incoming = undefined);
  }

  /** Delivers an incoming call to whoever listens on this line (the inbound router). */
  ring(call: IncomingCall): boolean {
    if (!this.incoming) return false;
    this.incoming(call);
    return true;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

/** Every carrier the engine builds for a "sip" line, in order (tests reach them to ring a line). */
export function testCarriers(): { factories: Partial<LineFactories>; built: LineOverSimulated[] } {
  const built: LineOverSimulated[] = [];
  return {
    built,
    factories: {
      sip: (_config, deps) => {
        const carrier = new LineOverSimulated(deps.simulated);
        built.push(carrier);
        return carrier;
      },
    },
  };
}

/** Adds the office's "real" line (a sip line over the test double) through the contract. */
export async function addTestLine(engine: Engine, maxCalls = 20): Promise<Line> {
  const outcome = await engine.invoke('lines.create', {
    kind: 'sip',
    name: 'Test trunk',
    maxCalls,
    settings: { server: '127.0.0.1', username: 'parley' },
  });
  if (!outcome.ok) throw new Error(`adding the test line failed: ${outcome.error.message}`);
  return outcome.result as Line;
}

/** Adds a simulated line: campaigns on it are dry runs. */
export async function addSimulatedLine(engine: Engine, maxCalls = 20): Promise<Line> {
  const outcome = await engine.invoke('lines.create', { kind: 'simulated', name: 'Simulated callers', maxCalls });
  if (!outcome.ok) throw new Error(`adding the simulated line failed: ${outcome.error.message}`);
  return outcome.result as Line;
}

/**
 * An incoming call for tests, backed by a simulated call leg: the simulated caller `persona` rings
 * from `from`. Accepting lets the simulated far end answer as it does on a dialled call; rejecting
 * hangs the leg up. `rejected` tells how the call was refused, if it was.
 */
export async function simulatedIncoming(simulated: SimulatedTelephony, from: string, persona: string, to = '+13125550000'): Promise<IncomingCall & { rejected: Promise<string>; accepted: Promise<void> }> {
  simulated.assign(from, persona);
  const leg = await simulated.dial({ callId: randomUUID(), to: from });
  let onReject: (reason: string) => void = () => undefined;
  let onAccept: () => void = () => undefined;
  const rejected = new Promise<string>((resolve) => (onReject = resolve));
  const accepted = new Promise<void>((resolve) => (onAccept = resolve));
  return {
    leg,
    from,
    to,
    rejected,
    accepted,
    async accept() {
      onAccept();
    },
    async reject(reason) {
      onReject(reason);
      await leg.hangup();
    },
  };
}
