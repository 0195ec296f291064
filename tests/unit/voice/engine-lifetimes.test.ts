import { describe, expect, it } from 'vitest';
import { EngineLifetimes } from '../../../electron/engine/voice/engine-lifetimes';

function engine() {
  const e = { disposed: 0, dispose: async () => void e.disposed++ };
  return e;
}

describe('engine lifetimes across a model switch', () => {
  it('keeps a retired engine until the last call holding it ends', async () => {
    const lifetimes = new EngineLifetimes();
    const old = engine();
    const releaseA = lifetimes.hold([old]);
    const releaseB = lifetimes.hold([old, undefined]);
    lifetimes.retire(old);
    expect(old.disposed).toBe(0);
    expect(lifetimes.isRetired(old)).toBe(true);
    releaseA();
    releaseA(); // releasing twice counts once
    expect(old.disposed).toBe(0);
    releaseB();
    await Promise.resolve();
    expect(old.disposed).toBe(1);
    expect(lifetimes.inUse(old)).toBe(false);
  });

  it('disposes an engine no call holds at once, and never disposes one that is not retired', async () => {
    const lifetimes = new EngineLifetimes();
    const idle = engine();
    const active = engine();
    lifetimes.retire(idle);
    await Promise.resolve();
    expect(idle.disposed).toBe(1);
    const release = lifetimes.hold([active]);
    release();
    expect(active.disposed).toBe(0);
  });

  it('disposes retired engines still held when the runtime shuts down', async () => {
    const lifetimes = new EngineLifetimes();
    const old = engine();
    lifetimes.hold([old]);
    lifetimes.retire(old);
    await lifetimes.dispose();
    expect(old.disposed).toBe(1);
  });
});
