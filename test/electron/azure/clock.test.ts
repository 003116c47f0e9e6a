import { describe, expect, it } from 'vitest';
import { PullCancelledError, scaledClock, virtualClock, WATCHDOG_GRACE_MS } from '../../../electron/azure/clock';

describe('clocks', () => {
  it('virtual clock: idle time jumps to the next deadline, in order, without real waiting', async () => {
    const clock = virtualClock();
    const order: string[] = [];
    const startedAt = Date.now();
    await Promise.all([
      clock.sleep(5_000).then(() => order.push(`b@${clock.now()}`)),
      clock.sleep(1_000).then(() => order.push(`a@${clock.now()}`)),
      clock.sleep(60_000).then(() => order.push(`c@${clock.now()}`)),
    ]);
    clock.dispose();
    expect(order).toEqual(['a@1000', 'b@5000', 'c@60000']);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it('virtual clock: an aborted sleep rejects and no longer holds time', async () => {
    const clock = virtualClock();
    const controller = new AbortController();
    const aborted = clock.sleep(10_000, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(PullCancelledError);
    await clock.sleep(20);
    expect(clock.now()).toBe(20);
    clock.dispose();
  });

  it('virtual clock: a watchdog (request timeout) never fires while real work is still in flight', async () => {
    const clock = virtualClock();
    const events: string[] = [];
    const watchdog = clock.sleep(120_000, undefined, { watchdog: true }).then(() => events.push(`timeout@${clock.now()}`));
    // Real work with no modelled timer (a slow loopback response under CPU load): 30 ms of real time.
    await new Promise((resolve) => setTimeout(resolve, 30));
    clock.touch?.();
    events.push(`answered@${clock.now()}`);
    // A genuinely lost request still times out, after the grace period of real quiet.
    const startedAt = Date.now();
    await watchdog;
    clock.dispose();
    expect(events).toEqual(['answered@0', 'timeout@120000']);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(WATCHDOG_GRACE_MS - 50);
  });

  it('virtual clock: a modelled delay still jumps at once past real quiet', async () => {
    const clock = virtualClock();
    const startedAt = Date.now();
    await clock.sleep(120_000);
    clock.dispose();
    expect(clock.now()).toBe(120_000);
    expect(Date.now() - startedAt).toBeLessThan(WATCHDOG_GRACE_MS);
  });

  it('scaled clock: runs faster than real time', async () => {
    const clock = scaledClock(100);
    const t0 = clock.now();
    const real0 = Date.now();
    await clock.sleep(2_000);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - real0).toBeLessThan(1_000);
  });
});
