import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, it } from 'vitest';
import { openAppSession, waitForRenders, type AppSession } from './browser';

let app: AppSession;
beforeAll(async () => { app = await openAppSession(); }, 120_000);
afterAll(async () => { await app?.close(); });

it('shots', async () => {
  const { page, server } = app;
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${server.origin}/?token=${server.token}#demo=health`);
  await waitForRenders(page, 1);
  const id = await page.evaluate(() => window.__egressAtlasTest?.state?.result?.paths.find((x) => x.source.name === 'snet-imaging-batch')?.source.id ?? '');
  await page.locator(`[data-testid="source-row"][data-source-id="${id}"]`).click();
  await page.getByTestId('can-reach').locator('.reach-private-heading').waitFor();
  await page.screenshot({ path: 'test-results/adhoc-health-dark-reach.png' });
  await writeFile('/tmp/shots/list.csv', 'destination,label\napi.stripe.com,Stripe API\nstpatients.blob.core.windows.net,Patient images (blob)\nhttps://packages.example.org/simple/,Package feed\n8.8.8.8:53/udp,Google DNS\nStorage.UKSouth,Storage UK South\n20.50.0.0/16,\nexfil.example.net,Exfiltration test\n');
  await page.getByTestId('destinations-input').setInputFiles('/tmp/shots/list.csv');
  await page.getByTestId('matrix-view').waitFor();
  await page.screenshot({ path: 'test-results/adhoc-health-dark-matrix.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: 'test-results/adhoc-health-light-matrix.png' });
  await page.goto(`${server.origin}/?token=${server.token}#demo=training`);
  await waitForRenders(page, 1);
  await page.getByTestId('destinations-input').setInputFiles('/tmp/shots/list.csv');
  await page.getByTestId('matrix-view').waitFor();
  await page.screenshot({ path: 'test-results/adhoc-training-matrix.png' });
}, 120_000);
