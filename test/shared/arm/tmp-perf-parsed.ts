import { normalizeArm } from '../../../shared/arm/index';
import { loadInputs } from '../../../electron/snapshot/index';
import { generateSyntheticEstate } from '../../../shared/demo/index';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const estate = generateSyntheticEstate({ subscriptions: 100, virtualNetworks: 2000, subnets: 20000, networkInterfaces: 100000, seed: 20261126 });
const text = JSON.stringify(estate);
const dir = mkdtempSync(join(tmpdir(), 'ea-perf-'));
writeFileSync(join(dir, 'estate.json'), text);
const json = JSON.parse(text) as unknown;
for (let i = 0; i < 2; i++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const r = normalizeArm([{ fileName: 'estate.json', json }]);
  const c = process.cpuUsage(c0);
  console.log('normalize (parsed input)', (performance.now() - t0).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu', r.model.networkInterfaces.length);
}
const t1 = performance.now();
const s = await loadInputs([join(dir, 'estate.json')], { toolVersion: 'x' });
console.log('loadInputs file', (text.length / 1e6).toFixed(0), 'MB →', (performance.now() - t1).toFixed(0), 'ms', s.sha256.slice(0, 12));
rmSync(dir, { recursive: true });
