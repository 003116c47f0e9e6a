import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArmGetter, createNetworkClient } from '../../../electron/azure/clients';
import { scaledClock } from '../../../electron/azure/clock';
import { ForeignOriginError } from '../../../electron/azure/policies';
import { recordingCredential, testContext } from './helpers';

interface Seen { readonly url: string; readonly headers: IncomingHttpHeaders }

/** Two loopback servers: "arm" answers with links that point at "elsewhere", which records what reaches it. */
function listen(handler: (path: string) => { status: number; body: unknown; headers?: Record<string, string> }, seen: Seen[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const answer = handler(req.url ?? '');
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  }));
}

describe('the ARM token only goes to the ARM endpoint', () => {
  const armSeen: Seen[] = [];
  const elsewhereSeen: Seen[] = [];
  let arm: { server: Server; url: string };
  let elsewhere: { server: Server; url: string };

  beforeAll(async () => {
    elsewhere = await listen(() => ({ status: 200, body: { value: [] } }), elsewhereSeen);
    arm = await listen((path) => {
      if (path.startsWith('/subscriptions?')) {
        return { status: 200, body: { value: [{ subscriptionId: 's1' }], nextLink: `${elsewhere.url}/subscriptions?page=2` } };
      }
      if (path.startsWith('/redirect')) return { status: 307, body: {}, headers: { location: `${elsewhere.url}/stolen` } };
      if (path.includes('/virtualNetworks')) {
        return { status: 200, body: { value: [], nextLink: `${elsewhere.url}/subscriptions/s1/providers/Microsoft.Network/virtualNetworks?page=2` } };
      }
      return { status: 404, body: { error: { code: 'NotFound', message: 'nope' } } };
    }, armSeen);
  });
  afterAll(() => {
    arm.server.close();
    elsewhere.server.close();
  });

  it('refuses a nextLink on another origin before sending anything there', async () => {
    const { ctx } = testContext(arm.url, scaledClock(0.001), {}, recordingCredential('secret-token'));
    const getter = createArmGetter(ctx);
    const first = await getter.getJson('/subscriptions?api-version=2022-12-01') as { nextLink: string };
    expect(armSeen.at(-1)?.headers.authorization).toBe('Bearer secret-token');
    await expect(getter.getJson(first.nextLink)).rejects.toThrow(ForeignOriginError);
    await expect(getter.getJson(first.nextLink)).rejects.toThrow(/only http:\/\/127\.0\.0\.1:\d+ \(the ARM endpoint\) receives the token/);
    expect(elsewhereSeen).toEqual([]);
  });

  it('does not follow a redirect to another origin (the 307 surfaces as an error)', async () => {
    const { ctx } = testContext(arm.url, scaledClock(0.001), {}, recordingCredential('secret-token'));
    await expect(createArmGetter(ctx).getJson('/redirect')).rejects.toThrow(/HTTP 307/);
    expect(elsewhereSeen).toEqual([]);
  });

  it('the SDK pager stops at a foreign nextLink instead of following it', async () => {
    const { ctx } = testContext(arm.url, scaledClock(0.001), {}, recordingCredential('secret-token'));
    const client = createNetworkClient(ctx, 's1');
    const drain = async (): Promise<void> => {
      for await (const page of client.virtualNetworks.listAll().byPage()) void page;
    };
    await expect(drain()).rejects.toThrow(ForeignOriginError);
    expect(armSeen.some((s) => s.url.includes('/virtualNetworks'))).toBe(true);
    expect(elsewhereSeen).toEqual([]);
  });
});
