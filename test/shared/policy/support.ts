/** Shared by the policy tests: demo estates as the engine sees them, and a fixed clock. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeArm } from '../../../shared/arm/index';
import { findDemo } from '../../../shared/demo/index';
import type { ResolveInput } from '../../../shared/egress/index';
import { parsePolicy } from '../../../shared/policy/index';
import type { Policy } from '../../../shared/policy/index';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const STARTERS = join(ROOT, 'shared/policy/starters');
export const NOW = new Date('2026-11-26T09:00:00Z');

const cache = new Map<string, ResolveInput>();

/** A demo estate, normalized the way a user's export is (cached: models are read-only). */
export function demoInput(name: string): ResolveInput {
  let found = cache.get(name);
  if (!found) {
    const demo = findDemo(name);
    if (!demo) throw new Error(`no demo ${name}`);
    found = { ...normalizeArm(demo.documents), metrics: [], serviceTags: demo.serviceTags };
    cache.set(name, found);
  }
  return found;
}

/** A one-control (or more) policy from YAML lines, for focused tests. */
export function policy(yaml: string, fileName = 'policy.yaml'): Policy {
  return parsePolicy(yaml, fileName);
}

export function starter(name: string): { readonly text: string; readonly policy: Policy } {
  const file = `shared/policy/starters/${name}.yaml`;
  const text = readFileSync(join(ROOT, file), 'utf8');
  return { text, policy: parsePolicy(text, file) };
}
