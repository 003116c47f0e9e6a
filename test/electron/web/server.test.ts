import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_OPERATIONS, type EgressAtlasApi } from '../../../shared/ipc/contract';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../../shared/ipc/security';
import { isAllowedHost, newToken, startWebServer, tokensMatch, type WebServer } from '../../../electron/web/server';

interface RawResponse { readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: string }

/** A raw HTTP request (fetch would not let us forge the Host header). */
function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

let root: string;
let server: WebServer;
const openDemo = vi.fn(async ({ name }: { name: string }) => ({ ok: true as const, value: { demo: name } }));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'egress-atlas-web-'));
  const dist = join(root, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Egress Atlas</title>');
  await writeFile(join(dist, 'assets', 'index-abc.js'), 'export {}');
  await writeFile(join(dist, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'secret.txt'), 'outside the static root');
  const api = Object.fromEntries(IPC_OPERATIONS.map((op) => [op, async () => ({ ok: true, value: op })]));
  server = await startWebServer({ services: { ...api, openDemo } as unknown as EgressAtlasApi, staticDir: dist, maxBodyBytes: 1024 });
});
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

function host(): Record<string, string> {
  return { Host: `127.0.0.1:${server.port}` };
}

function api(op: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(server.port, {
    method: 'POST', path: `/api/${op}`, body: JSON.stringify(body),
    headers: { ...host(), 'Content-Type': 'application/json', 'X-Egress-Atlas-Token': server.token, ...headers },
  });
}

describe('browser-mode bridge', () => {
  it('listens on 127.0.0.1 only and prints a URL with a one-time launch code (not the token) in the fragment', async () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?launch#code=[A-Za-z0-9_-]{32}&demo=bank$`));
    expect(server.url).not.toContain(server.token);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(server.port, external.address);
        socket.once('connect', () => { socket.destroy(); resolve(false); });
        socket.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    }
    const ok = await send(server.port, { path: '/', headers: host() });
    expect(ok.status).toBe(200);
  });

  it('round-trips an operation as an IpcResult', async () => {
    const res = await api('openDemo', { name: 'bank' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { demo: 'bank' } });
    expect(openDemo).toHaveBeenCalledWith({ name: 'bank' });
  });

  it('validates the request and answers invalid-request data', async () => {
    openDemo.mockClear();
    const res = await api('openDemo', { name: 42 });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const bad = await send(server.port, { method: 'POST', path: '/api/openDemo', body: '{nope', headers: { ...host(), 'Content-Type': 'application/json', 'X-Egress-Atlas-Token': server.token } });
    expect(bad.status).toBe(400);
    expect(openDemo).not.toHaveBeenCalled();
  });

  it('requires the token: missing or wrong → 401', async () => {
    const missing = await send(server.port, { method: 'POST', path: '/api/listDemos', body: '{}', headers: { ...host(), 'Content-Type': 'application/json' } });
    expect(missing.status).toBe(401);
    expect((await api('listDemos', {}, { 'X-Egress-Atlas-Token': newToken() })).status).toBe(401);
    expect((await api('listDemos', {}, { 'X-Egress-Atlas-Token': `${server.token}x` })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) → 403, on the API and static files', async () => {
    for (const h of ['evil.example', `evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`]) {
      expect((await api('listDemos', {}, { Host: h })).status, h).toBe(403);
      expect((await send(server.port, { path: '/', headers: { Host: h } })).status, h).toBe(403);
    }
    expect((await api('listDemos', {}, { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses a cross-origin request even with the token', async () => {
    expect((await api('listDemos', {}, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await api('listDemos', {}, { Origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('answers 404 for an unknown operation, 405 for GET, 415 without JSON, 413 for a large body', async () => {
    expect((await api('deleteEverything', {})).status).toBe(404);
    expect((await api('constructor', {})).status).toBe(404);
    expect((await send(server.port, { path: '/api/listDemos', headers: { ...host(), 'X-Egress-Atlas-Token': server.token } })).status).toBe(405);
    expect((await api('listDemos', {}, { 'Content-Type': 'text/plain' })).status).toBe(415);
    const big = await api('importFiles', { files: [{ name: 'a.json', text: 'x'.repeat(2000) }] });
    expect(big.status).toBe(413);
  });

  it('trades a launch code for the token exactly once', async () => {
    const code = /#code=([^&]+)/.exec(server.launchUrl(null))?.[1] ?? '';
    const session = (headers: Record<string, string>): Promise<RawResponse> => send(server.port, { method: 'POST', path: '/session', headers: { ...host(), ...headers } });
    const first = await session({ 'X-Egress-Atlas-Launch-Code': code });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ token: server.token });
    expect(first.headers['cache-control']).toBe('no-store');
    const again = await session({ 'X-Egress-Atlas-Launch-Code': code });
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/already used/);
    expect((await session({})).status).toBe(401);
    const fresh = /#code=([^&]+)/.exec(server.launchUrl(null))?.[1] ?? '';
    expect((await session({ 'X-Egress-Atlas-Launch-Code': fresh, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await send(server.port, { path: '/session', headers: host() })).status).toBe(405);
  });

  // The code buys the session token and is printed to the terminal (scroll-back, session logs) and
  // handed to the browser on its command line: one-time codes are short-lived (RFC 6749 §4.1.2: at
  // most 10 minutes), so an unused code stops working, whatever clock the server reads.
  it('refuses a launch code traded more than 10 minutes after it was issued, and takes one traded in time', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance', 'hrtime', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const trade = (url: string): Promise<RawResponse> => send(server.port, { method: 'POST', path: '/session', headers: { ...host(), 'X-Egress-Atlas-Launch-Code': /#code=([^&]+)/.exec(url)?.[1] ?? '' } });
      const stale = server.launchUrl(null);
      const timely = server.launchUrl(null);
      vi.advanceTimersByTime(9 * 60_000);
      expect((await trade(timely)).status).toBe(200);
      vi.advanceTimersByTime(2 * 60_000);
      const late = await trade(stale);
      expect(late.status).toBe(401);
      expect(late.body).not.toContain(server.token);
      expect(late.body).toMatch(/older than 10 minutes/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('serves static files with content types, the CSP and nosniff', async () => {
    const index = await send(server.port, { path: '/', headers: host() });
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.body).toContain('Egress Atlas');
    const page = await send(server.port, { path: '/?token=abc', headers: host() });
    expect(page.status).toBe(200);
    expect((await send(server.port, { path: '/assets/index-abc.js', headers: host() })).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await send(server.port, { path: '/assets/index-abc.css', headers: host() })).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await send(server.port, { path: '/missing.js', headers: host() })).status).toBe(404);
    expect((await send(server.port, { path: '/favicon.ico', headers: host() })).status).toBe(204);
    expect((await send(server.port, { method: 'PUT', path: '/index.html', headers: host() })).status).toBe(405);
  });

  it('blocks directory traversal', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt', '/%00index.html', '/assets/', '//etc/passwd']) {
      const res = await send(server.port, { path, headers: host() });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('outside the static root');
    }
  });
});

describe('bridge helpers', () => {
  it('compares tokens exactly', () => {
    const token = newToken();
    expect(tokensMatch(token, token)).toBe(true);
    expect(tokensMatch(token, undefined)).toBe(false);
    expect(tokensMatch(token, token.slice(0, -1))).toBe(false);
    expect(newToken()).not.toBe(token);
  });
  it('allows only 127.0.0.1 and localhost on our port as Host', () => {
    expect(isAllowedHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isAllowedHost('LOCALHOST:8080', 8080)).toBe(true);
    expect(isAllowedHost('127.0.0.1.nip.io:8080', 8080)).toBe(false);
    expect(isAllowedHost(undefined, 8080)).toBe(false);
  });
});
