/**
 * Service tag prefixes from the Service Tag Discovery API, one read-only GET through the same
 * guarded pipeline as every other ARM read:
 *   GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/serviceTags
 * `{location}` only scopes the request; the answer covers every region [TAG]
 * https://learn.microsoft.com/azure/virtual-network/service-tags-overview#use-the-service-tag-discovery-api
 * A failure (403, throttling, a malformed answer) is a gap: the pull completes without tag data,
 * and verdicts that depend on tags stay unknown.
 */
import { InputError } from '../../shared/model/errors';
import { parseServiceTags, type ServiceTagSet } from '../../shared/model/service-tags';
import { gapFromError, isCancellation } from './errors';
import type { PullRuntime } from './runtime';
import type { Item } from './topology';

export const SERVICE_TAGS_API_VERSION = '2024-05-01';

/** Pages followed at most (the API normally answers in one). */
const MAX_PAGES = 10;

export function serviceTagsPath(subscriptionId: string, location: string): string {
  return `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Network/locations/${encodeURIComponent(location)}/serviceTags?api-version=${SERVICE_TAGS_API_VERSION}`;
}

/**
 * The region to ask in: the most common `location` of the pulled resources (ties: alphabetical),
 * so the request goes to a region the estate certainly uses. Null when no resource has one.
 */
export function pickServiceTagLocation(items: readonly Item[]): string | null {
  const counts = new Map<string, number>();
  for (const item of items) {
    const location = item['location'];
    if (typeof location !== 'string' || location.trim() === '' || location.toLowerCase() === 'global') continue;
    const key = location.trim().toLowerCase().replace(/\s+/g, '');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const ranked = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  return ranked[0]?.[0] ?? null;
}

function nextLinkOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('nextLink' in body)) return null;
  const next = body.nextLink;
  return typeof next === 'string' && next.length > 0 ? next : null;
}

function valuesOf(body: unknown): readonly unknown[] {
  if (typeof body !== 'object' || body === null || !('values' in body)) return [];
  return Array.isArray(body.values) ? body.values : [];
}

/**
 * Reads the service tags, or records a gap and returns null. Cancellation propagates. A
 * `nextLink` on the ARM endpoint is followed (its pages' `values` appended); one elsewhere is not
 * (the guarded client only talks to the ARM endpoint), and the data is then kept with a gap
 * saying it may be incomplete.
 */
export async function fetchServiceTags(rt: PullRuntime, subscriptionId: string, location: string): Promise<ServiceTagSet | null> {
  const path = serviceTagsPath(subscriptionId, location);
  const scope = `/subscriptions/${subscriptionId}/providers/Microsoft.Network/locations/${location}/serviceTags`;
  try {
    const first = await rt.arm.getJson(path, rt.signal);
    const values: unknown[] = [...valuesOf(first)];
    let next = nextLinkOf(first);
    for (let page = 1; next !== null && page < MAX_PAGES; page++) {
      if (!sameOrigin(next, rt.ctx.target.armEndpoint)) break;
      const body = await rt.arm.getJson(next, rt.signal);
      values.push(...valuesOf(body));
      next = nextLinkOf(body);
    }
    if (next !== null) {
      rt.addGap({ code: 'request-failed', scope, message: 'The service tag list has more pages than were read; tags missing from it stay unknown.' });
    }
    const merged = typeof first === 'object' && first !== null ? { ...first, values } : first;
    return parseServiceTags(merged, 'azure:serviceTags');
  } catch (error) {
    if (isCancellation(error, rt.signal)) throw error;
    if (error instanceof InputError) {
      rt.addGap({ code: 'request-failed', scope, message: `Reading service tags failed: the answer was not a service tag list (${error.message}).` });
    } else {
      rt.addGap(gapFromError(scope, 'Reading service tags', error));
    }
    return null;
  }
}

function sameOrigin(url: string, endpoint: string): boolean {
  try {
    return new URL(url).origin === new URL(endpoint).origin;
  } catch {
    return false;
  }
}
