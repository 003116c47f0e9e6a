import { normalizeArm } from '../../../shared/arm/index';
import { generateSyntheticEstate } from '../../../shared/demo/index';
const estate = generateSyntheticEstate({ subscriptions: 100, virtualNetworks: 2000, subnets: 20000, networkInterfaces: 100000, seed: 20261126 });
(globalThis as { gc?: () => void }).gc?.();
console.profile?.('n');
const c0 = process.cpuUsage(); const t0 = performance.now();
const r = normalizeArm([{ fileName: 'synthetic', json: estate }]);
const c = process.cpuUsage(c0);
console.log('normalize', (performance.now() - t0).toFixed(0), 'ms wall', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu', r.model.networkInterfaces.length);
