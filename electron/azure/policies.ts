/**
 * Pipeline policies added to EVERY pipeline the puller builds (SDK clients and plain pipelines):
 *  - `readOnlyPolicy`: refuses anything but GET and two allow-listed POST actions, before the
 *    request leaves the process. Egress Atlas can never change an estate, by construction.
 *  - `pacingPolicy`: the one retry layer (the SDK's own retry policy is removed): a client-side
 *    token bucket per subscription, Resource Graph quota pacing, per-request timeout, Retry-After
 *    on 429 and exponential backoff on 408/5xx/network errors, all counted in `PullStats`.
 * [ARM limits] https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
 * [ARG throttling] https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests
 */
import { RestError } from '@azure/core-rest-pipeline';
import type { HttpHeaders, PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import { PullCancelledError, type Clock } from './clock';

// ---------------------------------------------------------------------------------------------
// Read-only guard

/** POST actions that read: Resource Graph queries and a NIC's effective route table (an LRO). */
const ALLOWED_POST_PATHS: readonly RegExp[] = [
  /^\/providers\/microsoft\.resourcegraph\/resources$/i,
  /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.network\/networkinterfaces\/[^/]+\/effectiveroutetable$/i,
];

export class ReadOnlyViolationError extends Error {
  override readonly name = 'ReadOnlyViolationError';
  readonly code = 'ReadOnlyViolation';
}

export function isReadOnlyRequest(method: string, url: string): boolean {
  const upper = method.toUpperCase();
  if (upper === 'GET') return true;
  if (upper !== 'POST') return false;
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
  return ALLOWED_POST_PATHS.some((re) => re.test(path));
}

export const READ_ONLY_POLICY_NAME = 'egressAtlasReadOnlyPolicy';

export function readOnlyPolicy(): PipelinePolicy {
  return {
    name: READ_ONLY_POLICY_NAME,
    sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      if (!isReadOnlyRequest(request.method, request.url)) {
        const path = safePath(request.url);
        return Promise.reject(new ReadOnlyViolationError(
          `Egress Atlas is read-only: refused ${request.method} ${path} before sending it.`,
        ));
      }
      return next(request);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Answers that are not ARM JSON

/**
 * A 2xx answer whose body is not JSON: a proxy, captive portal or sign-in page answered in Azure's
 * place. Without this the SDKs read such a page as an empty result (Resource Graph: no rows and
 * `totalRecords` undefined) or fail inside their own code (a list pager: "Cannot read properties of
 * undefined"), and the plain GET read it as "no subscriptions". README "Live pull": a failed read
 * is a gap that says why, never an empty answer.
 */
export class MalformedResponseError extends Error {
  override readonly name = 'MalformedResponseError';
  readonly code = 'MalformedResponse';
}

export const JSON_RESPONSE_POLICY_NAME = 'egressAtlasJsonResponsePolicy';

/** Every ARM, Resource Graph and LRO answer with a body is a JSON object or array. */
export function isJsonBody(text: string): boolean {
  const first = /\S/.exec(text)?.[0];
  return first === '{' || first === '[';
}

/** `what`: the service that should have answered; `format`: what it answers in (Log Analytics: plain JSON). */
export function malformedResponseError(method: string, url: string, status: number, contentType: string | undefined, what = 'Azure', format = 'ARM JSON'): MalformedResponseError {
  return new MalformedResponseError(
    `${what} answered ${method} ${safePath(url)} with HTTP ${status} but ${contentType ? `a ${contentType.split(';')[0] ?? contentType} body` : 'a body'} `
    + `that is not ${format} (a proxy, captive portal or sign-in page may have answered in its place); nothing of it was used.`,
  );
}

/** Refuses 2xx answers whose non-empty body is not JSON (see MalformedResponseError). Runs after the retry layer. */
export function jsonResponsePolicy(what = 'Azure', format = 'ARM JSON'): PipelinePolicy {
  return {
    name: JSON_RESPONSE_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const response = await next(request);
      const text = response.bodyAsText;
      if (response.status >= 200 && response.status < 300 && typeof text === 'string' && text.trim().length > 0 && !isJsonBody(text)) {
        throw malformedResponseError(request.method, request.url, response.status, response.headers.get('content-type'), what, format);
      }
      return response;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Token scope guard

export class ForeignOriginError extends Error {
  override readonly name = 'ForeignOriginError';
  readonly code = 'ForeignOrigin';
}

export const ARM_ORIGIN_POLICY_NAME = 'egressAtlasArmOriginPolicy';

/**
 * A `nextLink`, an LRO `Azure-AsyncOperation`/`Location` header or a 3xx can name any URL; the
 * pipeline would sign it with the ARM token. This policy runs after signing (closest to the wire)
 * and refuses every request whose origin is not the ARM endpoint's, so a hostile or corrupted
 * response can never make the puller send the token elsewhere.
 */
export function armOriginPolicy(armEndpoint: string): PipelinePolicy {
  const allowed = new URL(armEndpoint).origin;
  return {
    name: ARM_ORIGIN_POLICY_NAME,
    sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      let origin: string | null;
      try {
        origin = new URL(request.url).origin;
      } catch {
        origin = null;
      }
      // The read-only check again, closest to the wire: a redirect rewritten after the first guard
      // (303 → GET is harmless; anything else mutating) is refused here too.
      if (!isReadOnlyRequest(request.method, request.url)) {
        return Promise.reject(new ReadOnlyViolationError(
          `Egress Atlas is read-only: refused ${request.method} ${safePath(request.url)} before sending it.`,
        ));
      }
      if (origin !== allowed) {
        return Promise.reject(new ForeignOriginError(
          `Refused ${request.method} to ${origin ?? 'an unparsable URL'}: only ${allowed} (the ARM endpoint) receives the token. `
          + 'A nextLink, operation URL or redirect pointed elsewhere.',
        ));
      }
      return next(request);
    },
  };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

// ---------------------------------------------------------------------------------------------
// Request classification and statistics

export type RequestKind =
  | 'subscriptions' | 'resource-graph' | 'arm-list' | 'effective-routes' | 'lro-poll' | 'metrics' | 'service-tags';

export function classifyRequest(method: string, url: string): RequestKind {
  const path = safePath(url).toLowerCase().replace(/\/+$/, '');
  if (path.endsWith('/providers/microsoft.resourcegraph/resources')) return 'resource-graph';
  if (method.toUpperCase() === 'POST' && path.endsWith('/effectiveroutetable')) return 'effective-routes';
  if (path.includes('/providers/microsoft.insights/metrics')) return 'metrics';
  if (/\/providers\/microsoft\.network\/locations\/[^/]+\/servicetag(s|details)$/.test(path)) return 'service-tags';
  if (/\/operation(results|statuses)\//.test(path)) return 'lro-poll';
  if (path === '/subscriptions' || /^\/subscriptions\/[^/]+$/.test(path)) return 'subscriptions';
  return 'arm-list';
}

export class PullStats {
  requests = 0;
  readonly byKind = new Map<RequestKind, number>();
  retries = 0;
  /** 429 answers received. */
  throttledResponses = 0;
  /** Time spent waiting on Retry-After, quota resets and the client-side token bucket. */
  throttleWaitMs = 0;
  timeouts = 0;
  /** Effective-route LROs that succeeded, and their summed duration (clock ms). */
  effectiveRouteReads = 0;
  effectiveRouteTimeMs = 0;

  count(kind: RequestKind): void {
    this.requests += 1;
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
  }

  toJSON(): Readonly<Record<string, number>> {
    return {
      requests: this.requests, retries: this.retries, throttledResponses: this.throttledResponses,
      throttleWaitMs: Math.round(this.throttleWaitMs), timeouts: this.timeouts,
      ...Object.fromEntries(this.byKind),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Client-side pacing

/**
 * Reservation token bucket per key (subscription): each request takes a token at once, possibly
 * going into debt, and waits until the debt is refilled. Concurrent callers queue fairly.
 */
export class TokenBucket {
  private readonly state = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly capacity: number, private readonly refillPerSecond: number, private readonly clock: Clock) {}

  /** Reserves one token; returns how long (ms) to wait before sending. */
  reserve(key: string): number {
    const now = this.clock.now();
    const s = this.state.get(key) ?? { tokens: this.capacity, at: now };
    s.tokens = Math.min(this.capacity, s.tokens + ((now - s.at) / 1000) * this.refillPerSecond);
    s.at = now;
    s.tokens -= 1;
    this.state.set(key, s);
    return s.tokens >= 0 ? 0 : (-s.tokens / this.refillPerSecond) * 1000;
  }
}

/**
 * Paces Resource Graph queries by the `x-ms-user-quota-*` headers of earlier answers. A query that
 * finds the current window spent is booked into the first later window with room, first come first
 * served, and waits for that window: never all of them at the same reset. Releasing every waiter at
 * one reset sent them together into a quota of 15 per 5 s, and most were answered 429 ([ARG
 * throttling] guidance-for-throttled-requests: stagger queries, never burst, and use the
 * `x-ms-user-quota-remaining` / `x-ms-user-quota-resets-after` headers to pace them).
 */
export class ResourceGraphQuota {
  /** Queries left in the current window (the lower of the server's count and ours); null: not known yet. */
  private remaining: number | null = null;
  private resetAt = 0;
  /** Queries per window, learned from the answers (the highest `remaining` seen, plus the query it answered). */
  private limit = 0;
  /** The window's length, learned from the answers (the longest `resets-after` seen). */
  private windowMs = 0;
  /** Queries booked into the windows after the current one: booked[0] is the next window. */
  private readonly booked: number[] = [];
  /**
   * Queries sent and not answered yet. An answer's `remaining` may not count them (the server
   * counts a query when it receives it), so they are taken off it: the estimate errs low, never high.
   */
  private outstanding = 0;
  /** `maxWaitMs`: a reset announced further away than this is waited at most this long (see PacingOptions.maxRetryAfterMs). */
  constructor(private readonly clock: Clock, private readonly maxWaitMs = 300_000) {}

  /** ms to wait before the next query (reserves one query of the remaining quota, or of a later window). */
  reserve(): number {
    const now = this.clock.now();
    this.outstanding += 1;
    if (this.remaining === null) return 0;
    this.roll(now);
    if (this.remaining === null) return 0;
    if (this.remaining > 0) {
      this.remaining -= 1;
      return 0;
    }
    // Quota spent: the first later window with room (FIFO: each caller books after those before it).
    const perWindow = Math.max(1, this.limit);
    let index = 0;
    while ((this.booked[index] ?? 0) >= perWindow) index += 1;
    this.booked[index] = (this.booked[index] ?? 0) + 1;
    // Plus a small margin: the header has 1 s resolution.
    return this.resetAt + index * this.windowMs - now + 50;
  }

  /** Moves to the window `now` is in: its booked queries take its first slots. */
  private roll(now: number): void {
    while (this.remaining !== null && now >= this.resetAt) {
      const bookedHere = this.booked.shift() ?? 0;
      if (this.windowMs <= 0 || this.limit <= 0) {
        this.remaining = null;
        this.booked.length = 0;
        return;
      }
      this.resetAt += this.windowMs;
      this.remaining = Math.max(0, this.limit - bookedHere);
    }
  }

  /** A reserved query that got no answer (a network error, a timeout, cancellation). */
  release(): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
  }

  /** The answer to a reserved query (every answer, with quota headers or not). */
  observe(headers: HttpHeaders): void {
    this.release();
    const remaining = headers.get('x-ms-user-quota-remaining');
    const resets = headers.get('x-ms-user-quota-resets-after');
    if (remaining === undefined || resets === undefined) return;
    const n = Number(remaining);
    const parsed = parseTimeSpanMs(resets);
    if (!Number.isFinite(n) || parsed === null) return;
    const ms = Math.min(parsed, this.maxWaitMs);
    const now = this.clock.now();
    const resetAt = now + ms;
    this.limit = Math.max(this.limit, n + 1);
    this.windowMs = Math.max(this.windowMs, ms);
    this.roll(now);
    const left = Math.max(0, n - this.outstanding);
    // Answers of concurrent queries arrive out of order: within one window, the lowest count wins.
    const sameWindow = this.remaining !== null && Math.abs(resetAt - this.resetAt) < 1_500;
    this.remaining = sameWindow && this.remaining !== null ? Math.min(this.remaining, left) : left;
    this.resetAt = sameWindow ? Math.max(this.resetAt, resetAt) : resetAt;
  }
}

/** `hh:mm:ss` or `hh:mm:ss.fffffff` (a .NET TimeSpan, as ARG sends it) → ms. */
export function parseTimeSpanMs(text: string): number | null {
  const m = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!m) return null;
  return (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000;
}

/** `Retry-After` (seconds or HTTP date), `retry-after-ms`, or ARG's quota reset; null when absent. */
export function retryAfterMs(headers: HttpHeaders, nowMs: number): number | null {
  const ms = headers.get('retry-after-ms') ?? headers.get('x-ms-retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms))) return Number(ms);
  const ra = headers.get('retry-after');
  if (ra !== undefined) {
    const seconds = Number(ra);
    if (Number.isFinite(seconds)) return seconds * 1000;
    const date = Date.parse(ra);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const resets = headers.get('x-ms-user-quota-resets-after');
  return resets === undefined ? null : parseTimeSpanMs(resets);
}

// ---------------------------------------------------------------------------------------------
// The retry / pacing / timeout policy

export interface PacingOptions {
  readonly clock: Clock;
  readonly stats: PullStats;
  readonly armBucket: TokenBucket;
  readonly graphQuota: ResourceGraphQuota;
  /** Per-request timeout in clock ms (0 = none). */
  readonly requestTimeoutMs: number;
  /** Retries for 408/5xx/network errors/timeouts. */
  readonly maxRetries: number;
  /** Retries for 429 (each waits Retry-After). */
  readonly maxThrottleRetries: number;
  readonly baseRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  /**
   * The longest server-asked wait (Retry-After, quota reset) honoured, in clock ms. A longer one is
   * not waited out: the 429 is given back at once as a `throttled` failure (a gap), so one answer
   * saying "Retry-After: 86400" cannot stop the pull for a day (README "Live pull": throttling
   * that outlasts its retries is a gap; "no hangs"). Default DEFAULT_MAX_RETRY_AFTER_MS.
   */
  readonly maxRetryAfterMs?: number;
  /**
   * Extra wait (clock ms) before each LRO poll. 0 in production, where the sampler's
   * `lroPollIntervalMs` paces polls; the bench sets it to model polling latency.
   */
  readonly lroPollDelayMs?: number;
  /** The pull's cancellation signal: waits stop at once. */
  readonly signal?: AbortSignal;
}

export const PACING_POLICY_NAME = 'egressAtlasPacingPolicy';

/** ARM asks for seconds to a minute; Resource Graph's quota window is seconds. Five minutes is generous. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 300_000;

/**
 * The RestError code of a 429 whose Retry-After is beyond `maxRetryAfterMs`: given up, not waited
 * out. (A plain RestError, not a subclass: RestError's `instanceof` checks the name, and the
 * status must stay readable as 429 so the gap is `throttled`.)
 */
export const RETRY_AFTER_TOO_LONG = 'RetryAfterTooLong';

export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  readonly code = 'RequestTimeout';
}

function subscriptionOf(url: string): string {
  const m = /^\/subscriptions\/([^/]+)/i.exec(safePath(url));
  return m?.[1]?.toLowerCase() ?? '(tenant)';
}

function isTransientStatus(status: number): boolean {
  return status === 408 || status >= 500;
}

export function pacingPolicy(options: PacingOptions): PipelinePolicy {
  const { clock, stats } = options;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;

  const wait = async (ms: number): Promise<void> => {
    if (ms <= 0) return;
    stats.throttleWaitMs += ms;
    await clock.sleep(ms, options.signal);
  };

  const backoffMs = (attempt: number): number => {
    const exp = Math.min(options.maxRetryDelayMs, options.baseRetryDelayMs * 2 ** attempt);
    return exp * (0.8 + Math.random() * 0.4);
  };

  const sendOnce = async (request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> => {
    if (options.requestTimeoutMs <= 0) return next(request);
    const original = request.abortSignal;
    const controller = new AbortController();
    const onOuterAbort = (): void => controller.abort();
    original?.addEventListener('abort', onOuterAbort, { once: true });
    if (original?.aborted) controller.abort();
    request.abortSignal = controller.signal;
    const timerStop = new AbortController();
    let timedOut = false;
    const timer = clock.sleep(options.requestTimeoutMs, timerStop.signal, { watchdog: true }).then(() => {
      timedOut = true;
      controller.abort();
    }, () => undefined);
    try {
      return await next(request);
    } catch (error) {
      if (timedOut) throw new RequestTimeoutError(`No answer within ${options.requestTimeoutMs} ms: ${request.method} ${safePath(request.url)}`);
      throw error;
    } finally {
      timerStop.abort();
      await timer;
      original?.removeEventListener('abort', onOuterAbort);
      request.abortSignal = original;
    }
  };

  return {
    name: PACING_POLICY_NAME,
    async sendRequest(request, next) {
      const kind = classifyRequest(request.method, request.url);
      let transientFailures = 0;
      let throttles = 0;
      if (kind === 'lro-poll' && (options.lroPollDelayMs ?? 0) > 0) await clock.sleep(options.lroPollDelayMs ?? 0, options.signal);
      for (;;) {
        if (options.signal?.aborted) throw new PullCancelledError();
        if (kind === 'resource-graph') {
          const quotaWaitMs = options.graphQuota.reserve();
          try {
            await wait(quotaWaitMs);
          } catch (error) {
            options.graphQuota.release();
            throw error;
          }
        } else {
          await wait(options.armBucket.reserve(subscriptionOf(request.url)));
        }
        stats.count(kind);
        let response: PipelineResponse;
        try {
          clock.touch?.();
          response = await sendOnce(request, next);
          clock.touch?.();
        } catch (error) {
          if (kind === 'resource-graph') options.graphQuota.release();
          if (options.signal?.aborted) throw new PullCancelledError();
          if (error instanceof RequestTimeoutError) stats.timeouts += 1;
          const retryable = error instanceof RequestTimeoutError || (error instanceof RestError && error.code === RestError.REQUEST_SEND_ERROR);
          if (!retryable || transientFailures >= options.maxRetries) throw error;
          await wait(backoffMs(transientFailures));
          transientFailures += 1;
          stats.retries += 1;
          continue;
        }
        if (kind === 'resource-graph') options.graphQuota.observe(response.headers);
        if (response.status === 429) {
          stats.throttledResponses += 1;
          if (throttles >= options.maxThrottleRetries) return response;
          const asked = retryAfterMs(response.headers, clock.now());
          if (asked !== null && asked > maxRetryAfterMs) {
            throw new RestError(
              `Throttled: Azure asked to wait ${Math.round(asked / 1000)} s before retrying ${request.method} ${safePath(request.url)}, `
              + `longer than the pull waits (${Math.round(maxRetryAfterMs / 1000)} s); not retried.`,
              { statusCode: 429, code: RETRY_AFTER_TOO_LONG, request },
            );
          }
          await wait(asked ?? backoffMs(throttles));
          throttles += 1;
          stats.retries += 1;
          continue;
        }
        if (isTransientStatus(response.status) && transientFailures < options.maxRetries) {
          // A 503's Retry-After is capped the same way (waited at most maxRetryAfterMs).
          await wait(Math.min(retryAfterMs(response.headers, clock.now()) ?? backoffMs(transientFailures), maxRetryAfterMs));
          transientFailures += 1;
          stats.retries += 1;
          continue;
        }
        return response;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Auth for loopback http endpoints

export const LOOPBACK_BEARER_POLICY_NAME = 'egressAtlasLoopbackBearerPolicy';

/**
 * core-rest-pipeline's bearer policy refuses every non-https URL. For a plain-http endpoint that
 * `parseArmEndpoint` accepted (loopback only: the fake ARM server, a local tunnel) this policy sets
 * the same `Authorization: Bearer` header; it refuses any non-loopback URL itself.
 */
export function loopbackBearerPolicy(credential: TokenCredential, scopes: readonly string[]): PipelinePolicy {
  let cached: { token: string; expiresOnTimestamp: number } | null = null;
  return {
    name: LOOPBACK_BEARER_POLICY_NAME,
    async sendRequest(request, next) {
      const host = new URL(request.url).hostname.replace(/^\[|\]$/g, '');
      if (!(host === 'localhost' || host === '::1' || /^127\./.test(host))) {
        throw new Error(`Refusing to send a token to non-loopback ${host} without TLS.`);
      }
      if (cached === null || cached.expiresOnTimestamp - Date.now() < 120_000) {
        const token = await credential.getToken([...scopes], { abortSignal: request.abortSignal });
        if (token === null) throw new Error('The credential returned no token.');
        cached = token;
      }
      request.headers.set('authorization', `Bearer ${cached.token}`);
      return next(request);
    },
  };
}
