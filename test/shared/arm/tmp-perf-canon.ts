import { canonicalJson } from '../../../electron/snapshot/index';
import { normalizeArm } from '../../../shared/arm/index';
import { generateSyntheticEstate } from '../../../shared/demo/index';
const estate = generateSyntheticEstate({ subscriptions: 100, virtualNetworks: 2000, subnets: 20000, networkInterfaces: 100000, seed: 20261126 });
const r = normalizeArm([{ fileName: 'x', json: estate }]);
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedCopy);
  const rec = value as Record<string, unknown>;
  const keys = Object.keys(rec).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = sortedCopy(rec[k]);
  return out;
}
function viaReplacer(value: unknown): string {
  return JSON.stringify(value, function (_k, v: unknown) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const rec = v as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = rec[k];
    return out;
  });
}
let t = performance.now(); const a = canonicalJson(r.model); console.log('current', (performance.now() - t).toFixed(0));
t = performance.now(); const b = JSON.stringify(sortedCopy(r.model)); console.log('sortedCopy+stringify', (performance.now() - t).toFixed(0), a === b);
t = performance.now(); const c = viaReplacer(r.model); console.log('replacer', (performance.now() - t).toFixed(0), a === c);
