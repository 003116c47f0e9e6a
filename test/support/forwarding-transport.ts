/**
 * A transport (`PullOptions.httpClient`, "Transport injection (tests, proxies)") that forwards every
 * request to the fake ARM server and lets a test edit or replace the answer: for answers the fake
 * cannot give by itself (a repeated `$skipToken`, an overlapping subscriptions page, a proxy's HTML
 * page, an LRO that never ends). The real SDK clients and the pull's own pipeline policies run
 * unchanged in front of it. (From the pull audit, test/audit/pull.test.ts.)
 */
import {
  createDefaultHttpClient, createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse,
} from '@azure/core-rest-pipeline';

/** Returns the answer to use instead of the fake's, or null to keep the fake's. `body`: its JSON, or null. */
export type AnswerEdit = (request: PipelineRequest, response: PipelineResponse, body: unknown) => PipelineResponse | null;

export function forwardingTransport(edit: AnswerEdit): HttpClient {
  const inner = createDefaultHttpClient();
  return {
    async sendRequest(request) {
      const response = await inner.sendRequest(request);
      let body: unknown;
      try {
        body = JSON.parse(response.bodyAsText ?? '');
      } catch {
        body = null;
      }
      return edit(request, response, body) ?? response;
    },
  };
}

/** An answer made by the test (JSON unless `body` is a string; headers override the JSON content type). */
export function answer(request: PipelineRequest, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): PipelineResponse {
  return {
    request, status,
    headers: createHttpHeaders({ 'content-type': 'application/json; charset=utf-8', ...headers }),
    bodyAsText: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

/** A 200 `text/html` page, as a proxy, captive portal or sign-in page answers in Azure's place. */
export function htmlPage(request: PipelineRequest, html = '<html><body>proxy</body></html>'): PipelineResponse {
  return answer(request, 200, html, { 'content-type': 'text/html' });
}

export function pathOf(request: PipelineRequest): string {
  return new URL(request.url).pathname;
}

export const isGraph = (request: PipelineRequest): boolean => /\/providers\/microsoft\.resourcegraph\/resources$/i.test(pathOf(request));
export const isSubscriptions = (request: PipelineRequest): boolean => /^\/subscriptions\/?$/i.test(pathOf(request));

export function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Readonly<Record<string, unknown>> : {};
}

/** The JSON body the request sends (Resource Graph queries), or {}. */
export function requestBody(request: PipelineRequest): Readonly<Record<string, unknown>> {
  const text = typeof request.body === 'string' ? request.body : '';
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return {};
  }
}

/** The `$skipToken` a Resource Graph query sends, or null on a first page. */
export function skipTokenOf(request: PipelineRequest): string | null {
  const token = asRecord(requestBody(request)['options'])['$skipToken'];
  return typeof token === 'string' ? token : null;
}
