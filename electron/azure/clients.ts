/**
 * Every client and pipeline the puller uses is built here, so each one gets the same policies:
 * read-only guard, the single retry/pacing layer, and the right auth for the endpoint.
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy, bearerTokenAuthenticationPolicyName, createDefaultHttpClient,
  createPipelineFromOptions, createPipelineRequest, RestError,
} from '@azure/core-rest-pipeline';
import type { HttpClient, Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';
import type { CloudTarget } from './clouds';
import { armOriginPolicy, jsonResponsePolicy, loopbackBearerPolicy, malformedResponseError, readOnlyPolicy } from './policies';

export interface ClientContext {
  readonly credential: TokenCredential;
  readonly target: CloudTarget;
  readonly pacing: PipelinePolicy;
  readonly httpClient?: HttpClient;
}

/**
 * Adds the read-only guard, the JSON-answer check, the pacing policy and the ARM-origin guard,
 * removes the SDK retry policy, fixes auth.
 */
export function hardenPipeline(pipeline: Pipeline, ctx: ClientContext): void {
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(readOnlyPolicy());
  // Outside the retry layer: sees the final answer, and a 200 HTML page fails as "not ARM JSON".
  pipeline.addPolicy(jsonResponsePolicy());
  pipeline.addPolicy(ctx.pacing, { phase: 'Retry' });
  if (ctx.target.insecureLoopback) {
    pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
    pipeline.addPolicy(loopbackBearerPolicy(ctx.credential, [ctx.target.armScope]), { phase: 'Sign' });
  }
  pipeline.addPolicy(armOriginPolicy(ctx.target.armEndpoint), { afterPhase: 'Sign' });
}

function sdkOptions(ctx: ClientContext): {
  endpoint: string; credentials: { scopes: string[] }; allowInsecureConnection: boolean;
  retryOptions: { maxRetries: number }; httpClient?: HttpClient;
} {
  return {
    endpoint: ctx.target.armEndpoint,
    credentials: { scopes: [ctx.target.armScope] },
    allowInsecureConnection: ctx.target.insecureLoopback,
    retryOptions: { maxRetries: 0 },
    ...(ctx.httpClient ? { httpClient: ctx.httpClient } : {}),
  };
}

export function createNetworkClient(ctx: ClientContext, subscriptionId: string): NetworkManagementClient {
  const client = new NetworkManagementClient(ctx.credential, subscriptionId, sdkOptions(ctx));
  hardenPipeline(client.pipeline, ctx);
  return client;
}

export function createResourceGraphClient(ctx: ClientContext): ResourceGraphClient {
  const client = new ResourceGraphClient(ctx.credential, sdkOptions(ctx));
  hardenPipeline(client.pipeline, ctx);
  return client;
}

/** A plain GET pipeline for ARM calls without an installed SDK (subscriptions, Azure Monitor metrics). */
export interface ArmGetter {
  readonly pipeline: Pipeline;
  getJson(pathAndQuery: string, signal?: AbortSignal): Promise<unknown>;
}

export function createArmGetter(ctx: ClientContext): ArmGetter {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
  if (!ctx.target.insecureLoopback) {
    pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: ctx.credential, scopes: [ctx.target.armScope] }), { phase: 'Sign' });
  }
  hardenPipeline(pipeline, ctx);
  const httpClient = ctx.httpClient ?? createDefaultHttpClient();
  return {
    pipeline,
    async getJson(pathAndQuery, signal) {
      const url = /^https?:\/\//i.test(pathAndQuery) ? pathAndQuery : `${ctx.target.armEndpoint}${pathAndQuery}`;
      const request = createPipelineRequest({
        url, method: 'GET', allowInsecureConnection: ctx.target.insecureLoopback,
        ...(signal ? { abortSignal: signal } : {}),
      });
      const response = await pipeline.sendRequest(httpClient, request);
      const text = response.bodyAsText ?? '';
      const body = parseBody(text);
      if (response.status >= 200 && response.status < 300) {
        // A 2xx body that does not parse (cut short, or a proxy's page) is a failed read, never
        // "nothing": read as null, the subscriptions list became "can read no subscription".
        if (body === null && text.trim().length > 0) throw malformedResponseError('GET', url, response.status, response.headers.get('content-type'));
        return body;
      }
      const error = errorOf(body);
      throw new RestError(error.message ?? `HTTP ${response.status} for GET ${new URL(url).pathname}`, {
        statusCode: response.status, request, response, ...(error.code ? { code: error.code } : {}),
      });
    },
  };
}

function parseBody(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function errorOf(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return {};
  const e = (body as { error: unknown }).error;
  if (typeof e !== 'object' || e === null) return {};
  const code = 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  const message = 'message' in e && typeof e.message === 'string' ? e.message : undefined;
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}
