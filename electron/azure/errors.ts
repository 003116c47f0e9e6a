/** Turns a failed Azure read into a gap: code, scope (what/where) and a sentence saying why. */
import { isRestError } from '@azure/core-rest-pipeline';
import type { Gap, GapCode } from '../../shared/model/gaps';
import { PullCancelledError } from './clock';
import { MalformedResponseError, ReadOnlyViolationError, RequestTimeoutError, RETRY_AFTER_TOO_LONG } from './policies';

export function statusOf(error: unknown): number | null {
  return isRestError(error) && typeof error.statusCode === 'number' ? error.statusCode : null;
}

export function codeOf(error: unknown): string | null {
  if (isRestError(error) && typeof error.code === 'string') return error.code;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return null;
}

export function isCancellation(error: unknown, signal?: AbortSignal): boolean {
  return error instanceof PullCancelledError || (signal?.aborted === true && error instanceof Error && error.name === 'AbortError');
}

/**
 * A list whose `nextLink` (or Resource Graph `$skipToken`) leads back to a page already read: it
 * makes no progress, and following it would never end (the standard: no hangs). The list stops
 * there and the rest of it is a gap.
 */
export class PagingLoopError extends Error {
  override readonly name = 'PagingLoopError';
  readonly code = 'PagingLoop';
}

export function gapCodeFor(error: unknown): GapCode {
  if (error instanceof RequestTimeoutError) return 'timeout';
  const status = statusOf(error);
  if (status === 401 || status === 403) return 'access-denied';
  if (status === 429) return 'throttled';
  if (status === 408) return 'timeout';
  return 'request-failed';
}

/** ARM's own sentence from the error body (the SDK's paging errors drop it from `message`). */
function bodyMessage(error: unknown): string | null {
  if (!isRestError(error)) return null;
  const text = error.response?.bodyAsText;
  if (typeof text !== 'string' || text.length === 0) return null;
  try {
    const body: unknown = JSON.parse(text);
    const inner = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
    const message = typeof inner === 'object' && inner !== null && 'message' in inner ? inner.message : null;
    return typeof message === 'string' ? message : null;
  } catch {
    return null;
  }
}

/** What a status means for the user, for errors whose own text says nothing (SDK paging errors). */
function statusHint(status: number | null): string {
  switch (status) {
    case 401: return 'the sign-in was not accepted (expired or wrong-tenant token)';
    case 403: return 'the signed-in account may not read this (it needs the Reader role or Microsoft.Network/*/read)';
    case 404: return 'not found';
    case 429: return 'throttled by Azure, retries exhausted';
    default: return status !== null && status >= 500 ? 'Azure answered with a server error, retries exhausted' : 'the request failed';
  }
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const PRINCIPAL_ID = new RegExp(`\\b((?:object|client|principal|tenant|application|app)[ _-]?id\\s*[:=]?\\s*'?)${GUID}`, 'gi');
const CLIENT_NAME = /(\bThe client ')[^']*(')/gi;

/**
 * Gaps end up in snapshots and PDFs that are handed around. ARM's 403 text names the signed-in
 * principal ("The client 'ann@contoso.com' with object id '…' does not have authorization …"),
 * so e-mail addresses and principal/tenant object IDs are masked; resource scopes stay readable.
 */
export function maskIdentities(text: string): string {
  return text
    .replace(CLIENT_NAME, '$1<principal>$2')
    .replace(PRINCIPAL_ID, '$1<id>')
    .replace(EMAIL, '<e-mail>');
}

export function messageOf(error: unknown): string {
  return maskIdentities(rawMessageOf(error));
}

/**
 * Errors whose own text is the whole story (the SDK pager's "Couldn't paginate response" and the
 * like are not: statusHint / PAGE_HINT say what they mean).
 */
function ownMessage(error: unknown): string | null {
  if (error instanceof ReadOnlyViolationError || error instanceof MalformedResponseError || error instanceof PagingLoopError) return error.message;
  if (isRestError(error) && error.code === RETRY_AFTER_TOO_LONG) return `HTTP 429: ${error.message}`;
  return null;
}

/**
 * The SDK pager's own errors for a 2xx page it cannot read (JSON with no `value` array, or a
 * `nextLink` that is not a string): "the answer was not an ARM list page". An auditor reads the gap.
 * (A TypeError thrown inside the pager is mapped where lists are drained: topology.ts drain.)
 */
const PAGE_ERROR = /^Couldn't paginate response|^Body Property \S+ should be/i;
const PAGE_HINT = 'Azure answered with a page that is not an ARM list (no `value` array); the list was not read';

function rawMessageOf(error: unknown): string {
  const own = ownMessage(error);
  if (own !== null) return own;
  const status = statusOf(error);
  const code = codeOf(error);
  const raw = bodyMessage(error) ?? (error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
  const text = PAGE_ERROR.test(raw) ? PAGE_HINT : /^Pagination failed|^Unexpected status code/i.test(raw) ? statusHint(status) : raw;
  const head = [status === null ? null : `HTTP ${status}`, code].filter((x) => x !== null).join(' ');
  return head.length > 0 ? `${head}: ${text}` : text;
}

export function gapFromError(scope: string, what: string, error: unknown, count?: number): Gap {
  return {
    code: gapCodeFor(error),
    scope,
    message: `${what} failed: ${messageOf(error)}`,
    ...(count === undefined ? {} : { count }),
  };
}
