/**
 * Time as the puller sees it. Injected so tests and the bench can run the throttling model
 * faster than real time (a scaled clock) without touching the pull logic.
 */
export interface Clock {
  /** Milliseconds in the clock's own time model. */
  now(): number;
  /**
   * Waits `ms` in the clock's time model; rejects with an AbortError when `signal` aborts.
   * `watchdog`: the sleep guards real work (a request timeout) rather than modelling a delay.
   */
  sleep(ms: number, signal?: AbortSignal, options?: SleepOptions): Promise<void>;
  /** Activity hint (a request sent or answered) for a virtual clock; real clocks ignore it. */
  touch?(): void;
}

export interface SleepOptions {
  readonly watchdog?: boolean;
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

/**
 * Discrete-event time for the bench: `now()` moves only when the process is idle, jumping to the
 * earliest pending `sleep` deadline. Modelled delays (latency, throttling, Retry-After, polling)
 * take their full time; CPU work and loopback I/O take none. "Idle" = two consecutive quiet
 * windows (a real 1 ms timer, then a check-phase turn so ready I/O is processed first) with no
 * sleep registered and no `touch()`. If the guess is early, later timers start later: the model
 * can only overstate time, never understate it.
 * A watchdog sleep (a request timeout) is never the reason time jumps while real work may still be
 * in flight: the clock fires it only after WATCHDOG_GRACE_MS of real time with no activity, so a
 * loopback response that is slow under CPU load cannot be mistaken for a lost one.
 */
/** Real time a virtual clock waits, with no activity at all, before firing a watchdog sleep. */
export const WATCHDOG_GRACE_MS = 500;

export function virtualClock(): Clock & { readonly dispose: () => void } {
  let now = 0;
  let activity = 0;
  let seq = 0;
  interface Timer { readonly at: number; readonly seq: number; readonly watchdog: boolean; readonly resolve: () => void }
  let lastActivityRealMs = Date.now();
  const timers: Timer[] = [];
  let watcher: ReturnType<typeof setTimeout> | null = null;
  let quietWindows = 0;
  let seen = -1;
  let disposed = false;

  const decide = (): void => {
    watcher = null;
    if (disposed || timers.length === 0) return;
    if (seen !== activity) {
      seen = activity;
      quietWindows = 0;
      lastActivityRealMs = Date.now();
    } else {
      quietWindows += 1;
    }
    timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const watchdogHeld = timers[0]?.watchdog === true && Date.now() - lastActivityRealMs < WATCHDOG_GRACE_MS;
    if (quietWindows >= 2 && !watchdogHeld) {
      now = Math.max(now, timers[0]?.at ?? now);
      const due = timers.filter((t) => t.at <= now);
      timers.splice(0, due.length);
      activity += 1;
      quietWindows = 0;
      for (const t of due) t.resolve();
    }
    schedule();
  };
  const schedule = (): void => {
    if (watcher !== null || disposed || timers.length === 0) return;
    watcher = setTimeout(() => setImmediate(decide), 1);
  };
  return {
    now: () => now,
    touch: () => {
      activity += 1;
    },
    sleep: (ms, signal, options) => new Promise<void>((resolve, reject) => {
      activity += 1;
      if (signal?.aborted) {
        reject(new PullCancelledError());
        return;
      }
      const timer: Timer = {
        at: now + Math.max(0, ms), seq: seq++, watchdog: options?.watchdog === true,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = timers.indexOf(timer);
        if (i >= 0) timers.splice(i, 1);
        reject(new PullCancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      timers.push(timer);
      schedule();
    }),
    dispose: () => {
      disposed = true;
      if (watcher !== null) clearTimeout(watcher);
    },
  };
}
