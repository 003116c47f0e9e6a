/** Shared wiring for the Azure tests: a fake credential, a manual clock and a client context. */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { Clock } from '../../../electron/azure/clock';
import type { ClientContext } from '../../../electron/azure/clients';
import { resolveCloudTarget } from '../../../electron/azure/clouds';
import { pacingPolicy, PullStats, ResourceGraphQuota, TokenBucket, type PacingOptions } from '../../../electron/azure/policies';

export function recordingCredential(token = 'test-token'): TokenCredential & { readonly scopes: string[][] } {
  const scopes: string[][] = [];
  return {
    scopes,
    getToken: async (s: string | string[]): Promise<AccessToken> => {
      scopes.push(Array.isArray(s) ? s : [s]);
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

/** A clock you move by hand; sleeps resolve when `advance` passes their deadline. */
export function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let now = start;
  const sleepers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((resolve) => {
      sleepers.push({ at: now + ms, resolve });
    }),
    advance(ms) {
      now += ms;
      for (const s of sleepers.filter((x) => x.at <= now)) {
        sleepers.splice(sleepers.indexOf(s), 1);
        s.resolve();
      }
    },
  };
}

export function testContext(url: string, clock: Clock, overrides: Partial<PacingOptions> = {}, credential: TokenCredential = recordingCredential()): { ctx: ClientContext; stats: PullStats } {
  const stats = new PullStats();
  const pacing = pacingPolicy({
    clock, stats, armBucket: new TokenBucket(1000, 1000, clock), graphQuota: new ResourceGraphQuota(clock),
    requestTimeoutMs: 5_000, maxRetries: 3, maxThrottleRetries: 5, baseRetryDelayMs: 10, maxRetryDelayMs: 100,
    ...overrides,
  });
  return { ctx: { credential, target: resolveCloudTarget('AzurePublicCloud', url), pacing }, stats };
}
