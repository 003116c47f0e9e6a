import { it } from 'vitest';
import { buildRendererOnce, launchChromium, startServer, waitForRenders } from './browser';
it('dbg', async () => {
  const r = await buildRendererOnce();
  console.log('NODE_ENV', process.env.NODE_ENV);
  const server = await startServer({ staticDir: r.dir });
  const browser = await launchChromium();
  const page = await browser.newPage();
  page.on('console', (m) => console.log('[console]', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  page.on('worker', (w) => { console.log('[worker]', w.url()); w.on('close', () => console.log('worker closed')); });
  await page.goto(`${server.origin}/?token=${server.token}#demo=bank`);
  await waitForRenders(page, 1, 8000).catch((e) => console.log('ERR', String(e).slice(0, 200)));
  console.log(await page.evaluate(() => JSON.stringify({ r: window.__egressAtlasTest?.renders, l: window.__egressAtlasTest?.layingOut, cy: window.__egressAtlasTest?.cy?.elements().length, destroyed: window.__egressAtlasTest?.cy?.destroyed() })));
  console.log(await page.evaluate(async () => {
    const w = new Worker('/assets/layout.worker-DtEd4ntL.js', { type: 'module' });
    return await new Promise((res) => { w.onmessage = (e) => res(JSON.stringify(e.data).slice(0, 200)); w.onerror = (e) => res('err ' + e.message); w.postMessage({ requestId: 1, graph: { view: { kind: 'full' }, nodes: [], edges: [], pathIndex: {} } }); setTimeout(() => res('timeout'), 5000); });
  }));
  await browser.close(); await server.close();
  const { readdirSync } = await import('node:fs');
  console.log(readdirSync(r.dir + '/assets'));
}, 60000);
