import { openAppSession, screenshot } from './test/e2e/browser';
for (const demo of ['bank', 'training', 'health', 'manufacturer']) {
  const s = await openAppSession({ demo });
  await screenshot(s.page, `zz-${demo}`);
  const rows = await s.page.locator('[data-testid="source-row"]').count();
  console.log(demo, 'rows', rows, 'errors', s.pageErrors);
  if (demo === 'bank') {
    await s.page.locator('[data-testid="source-row"]').nth(2).click();
    await s.page.waitForTimeout(1500);
    await screenshot(s.page, `zz-${demo}-selected`);
  }
  await s.close();
}
