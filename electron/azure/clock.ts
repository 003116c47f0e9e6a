/**
 * Time as the puller sees it. Injected so tests and the bench can run the throttling model
 * faster than real time (a scaled clock) without touching the pull logic.
 */
export interface Clock {
  /** Milliseconds in the clock's own time model. */
  now(): number;
  /** Waits `ms` in the clock's time model; rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export class PullCancelledError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'The pull was cancelled.') {
    super(message);
  }
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PullCancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new PullCancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: realSleep,
};

/**
 * A clock that runs `speedup` times faster than real time: `now()` advances `speedup` ms per real
 * ms and `sleep(ms)` takes `ms / speedup` real ms. The fake ARM server and the puller must share
 * one instance so throttling windows, Retry-After and latency are all in the same time model.
 */
export function scaledClock(speedup: number): Clock {
  const realStart = Date.now();
  return {
    now: () => realStart + (Date.now() - realStart) * speedup,
    sleep: (ms, signal) => realSleep(ms / speedup, signal),
  };
}
