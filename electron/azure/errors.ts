/** Turns a failed Azure read into a gap: code, scope (what/where) and a sentence saying why. */
import { isRestError } from '@azure/core-rest-pipeline';
import type { Gap, GapCode } from '../../shared/model/gaps';
import { PullCancelledError } from './clock';
import { ReadOnlyViolationError, RequestTimeoutError } from './policies';

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

export function gapCodeFor(error: unknown): GapCode {
  if (error instanceof RequestTimeoutError) return 'timeout';
  const status = statusOf(error);
  if (status === 401 || status === 403) return 'access-denied';
  if (status === 429) return 'throttled';
  if (status === 408) return 'timeout';
  return 'request-failed';
}

export function messageOf(error: unknown): string {
  if (error instanceof ReadOnlyViolationError) return error.message;
  const status = statusOf(error);
  const code = codeOf(error);
  const text = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
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
