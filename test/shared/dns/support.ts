/** Helpers of the name-resolution tests: a model as resolve input, one source's path, one deny control. */
import { resolveEgress } from '../../../shared/egress';
import type { ResolveInput } from '../../../shared/egress';
import type { NetworkModel } from '../../../shared/model/topology';
import { checkPolicy, parsePolicy } from '../../../shared/policy';
import type { ControlResult } from '../../../shared/policy';

const NOW = new Date('2026-11-26T09:00:00Z');

export function input(model: NetworkModel): ResolveInput {
  return { model, effectiveRoutes: [], metrics: [], gaps: [] };
}

export function pathFor(result: ReturnType<typeof resolveEgress>, id: string) {
  const path = result.paths.find((p) => p.source.id === id);
  if (!path) throw new Error(`no path for ${id}; have ${result.paths.map((p) => p.source.id).join(', ')}`);
  return path;
}

/** One deny control with this body, checked against the model. */
export function control(model: NetworkModel, body: string): ControlResult {
  const policy = parsePolicy(`version: 1\ncontrols:\n  - id: c\n    effect: deny\n${body}`, 'policy.yaml');
  const result = checkPolicy(input(model), policy, { now: NOW, destination: null });
  const [c] = result.controls;
  if (!c) throw new Error('no control');
  return c;
}
