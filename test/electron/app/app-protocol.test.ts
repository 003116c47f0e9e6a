import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../../shared/ipc/security';

vi.mock('electron', () => ({ protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() } }));
const { serveAppRequest } = await import('../../../electron/app/app-protocol');
const { isAppUrl, isAllowedExternalUrl, startPageUrl } = await import('../../../electron/app/app-url');

let root: string;
let dist: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'egress-atlas-app-'));
  dist = join(root, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Egress Atlas</title>');
  await writeFile(join(dist, 'assets', 'main.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'not for the renderer');
  // Symlinks inside the served tree that point out of it (an unpacked `npm start` tree may hold them).
  await symlink(join(root, 'secret.txt'), join(dist, 'leak.txt'));
  await symlink(root, join(dist, 'assets', 'up'));
});
afterAll(async () => { await rm(root, { recursive: true, force: true }); });

describe('app:// protocol', () => {
  // Electron's security checklist (custom protocol instead of file://) helps only if the handler
  // serves nothing outside renderer/dist: as in browser mode (findStaticFile), a file whose real
  // path leaves the tree is not found.
  it('does not follow a symlink out of renderer/dist', async () => {
    for (const url of ['app://egress-atlas/leak.txt', 'app://egress-atlas/assets/up/secret.txt']) {
      const res = await serveAppRequest(dist, url);
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('not for the renderer');
    }
    expect((await serveAppRequest(dist, 'app://egress-atlas/assets/main.js')).status).toBe(200);
  });

  it('serves renderer files with their content type, the CSP and nosniff', async () => {
    const page = await serveAppRequest(dist, 'app://egress-atlas/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('Egress Atlas');
    const script = await serveAppRequest(dist, 'app://egress-atlas/assets/main.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('serves nothing outside renderer/dist or for another host', async () => {
    for (const url of ['app://egress-atlas/../secret.txt', 'app://egress-atlas/%2e%2e/secret.txt', 'app://egress-atlas/assets/..%2f..%2fsecret.txt',
      'app://other/index.html', 'app://egress-atlas/missing.js']) {
      expect((await serveAppRequest(dist, url)).status, url).toBe(404);
    }
  });
});

describe('app URLs', () => {
  it('recognises only our own scheme and host', () => {
    expect(startPageUrl('bank')).toBe('app://egress-atlas/index.html#demo=bank');
    expect(isAppUrl(startPageUrl(null))).toBe(true);
    for (const url of ['app://egress-atlas.evil/x', 'https://egress-atlas/', 'file:///index.html', 'not a url']) expect(isAppUrl(url)).toBe(false);
  });
  it('allows only https Microsoft docs links to open externally', () => {
    expect(isAllowedExternalUrl('https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview')).toBe(true);
    for (const url of ['http://learn.microsoft.com/', 'https://learn.microsoft.com.evil.example/', 'https://user@learn.microsoft.com/', 'file:///c:/windows/system32/calc.exe', 'smb://host/share']) {
      expect(isAllowedExternalUrl(url)).toBe(false);
    }
  });
});
