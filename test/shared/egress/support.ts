/** Small helpers shared by the egress tests (not a test file). */
import { resolveEgress } from '../../../shared/egress';
import type { EgressPath, ResolveResult } from '../../../shared/egress/types';
import type { ResolveOptions } from '../../../shared/egress';
import type { CapturedEffectiveRoutes, NetworkModel } from '../../../shared/model/topology';
import type { ResourceMetric } from '../../../shared/model/snapshot';
import { explainPath } from '../../../shared/egress/explain';

export function resolve(model: NetworkModel, options: ResolveOptions = {}, extra: { effectiveRoutes?: readonly CapturedEffectiveRoutes[]; metrics?: readonly ResourceMetric[] } = {}): ResolveResult {
  return resolveEgress({ model, effectiveRoutes: extra.effectiveRoutes ?? [], metrics: extra.metrics ?? [], gaps: [] }, options);
}

export function pathOf(result: ResolveResult, sourceId: string): EgressPath {
  const path = result.paths.find((p) => p.source.id === sourceId);
  if (!path) throw new Error(`no path for ${sourceId}; have ${result.paths.map((p) => p.source.id).join(', ')}`);
  return path;
}

/** Everything that decides a path, in one object: verdict, exit, via, IPs, ports, hop kinds, finding codes. */
export function summary(path: EgressPath): {
  verdict: string; exit: string | null; via: readonly string[]; egressIps: readonly string[]; snatPorts: number | null; hops: string[]; findings: string[];
} {
  return {
    verdict: path.verdict, exit: path.exit, via: path.via.map((v) => v.id), egressIps: path.egressIps, snatPorts: path.snatPorts,
    hops: explainPath(path).map((h) => h.kind), findings: path.findings.map((f) => f.code).sort(),
  };
}

export function explanations(path: EgressPath): string {
  return explainPath(path).map((h) => `${h.rule} :: ${h.explanation}`).join('\n');
}
