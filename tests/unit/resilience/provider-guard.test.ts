import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../../electron/engine/adapters/http/http-call';
import { ProviderGuard } from '../../../electron/engine/adapters/resilience/provider-guard';

const down = () => Promise.reject(new ServiceError('unavailable', 'Test API failed (500)', { status: 500 }));
const slowDown = (seconds: number) => () => Promise.reject(new ServiceError('rate_limited', 'Test API asks to slow down (429)', { status: 429, retryAfterMs: seconds * 1_000 }));

describe('provider guard on a manual clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-12-05T10:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('opens after three failures, refuses for the cool-down, lets one probe through after it, and closes on its success', async () => {
    const guard = new ProviderGuard('p', 'Test API', { threshold: 3, coolDownMs: 30_000 });
    const changes: boolean[] = [];
    guard.onChange((healthy) => changes.push(healthy));
    let calls = 0;
    const request = () => (calls++, down());
    for (let i = 0; i < 3; i++) await expect(guard.run(request)).rejects.toThrow('failed (500)');
    expect(guard.health()).toMatchObject({ state: 'open', failures: 3, retryAt: Date.parse('2026-12-05T10:00:30Z') });
    expect(changes).toEqual([false]);
    await expect(guard.run(request)).rejects.toThrow(/skipped for now/);
    expect(calls).toBe(3);

    vi.setSystemTime(Date.parse('2026-12-05T10:00:29Z'));
    expect(guard.available()).toBe(false);
    vi.setSystemTime(Date.parse('2026-12-05T10:00:31Z'));
    expect(guard.available()).toBe(true);
    await expect(guard.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
    expect(guard.health().state).toBe('closed');
    expect(changes).toEqual([false, true]);
  });

  it('a failing probe opens it again for another cool-down', async () => {
    const guard = new ProviderGuard('p', 'Test API', { threshold: 2, coolDownMs: 10_000 });
    for (let i = 0; i < 2; i++) await expect(guard.run(down)).rejects.toThrow();
    vi.advanceTimersByTime(10_001);
    await expect(guard.run(down)).rejects.toThrow('failed (500)');
    expect(guard.health().state).toBe('open');
    expect(guard.available()).toBe(false);
  });

  it('holds every request until a 429’s Retry-After, without counting it as a failure', async () => {
    const guard = new ProviderGuard('p', 'Test API', { threshold: 1 });
    await expect(guard.run(slowDown(20))).rejects.toThrow('slow down');
    expect(guard.health()).toMatchObject({ state: 'throttled', failures: 0, retryAt: Date.parse('2026-12-05T10:00:20Z') });
    let calls = 0;
    await expect(guard.run(() => (calls++, Promise.resolve(1)))).rejects.toThrow(/asked to slow down/);
    expect(calls).toBe(0);
    vi.advanceTimersByTime(20_001);
    await expect(guard.run(() => (calls++, Promise.resolve(1)))).resolves.toBe(1);
    expect(calls).toBe(1);
  });

  it('retries a 500 once only when the turn has time left; a cancel never counts', async () => {
    const guard = new ProviderGuard('p', 'Test API', { threshold: 5, minRetryBudgetMs: 1_000 });
    let calls = 0;
    await expect(guard.run(() => (calls++, down()), { deadline: Date.now() + 5_000 })).rejects.toThrow();
    expect(calls).toBe(2);
    await expect(guard.run(() => (calls++, down()), { deadline: Date.now() + 500 })).rejects.toThrow();
    expect(calls).toBe(3);
    const cancelled = new DOMException('The operation was aborted', 'AbortError');
    await expect(guard.run(() => Promise.reject(cancelled))).rejects.toBe(cancelled);
    expect(guard.health().failures).toBe(3);
  });
});
