/**
 * Destinations at estate scale (the same synthetic 100k-NIC estate as the resolve bench):
 * `reach` for every source, and a destinations matrix of 100 destinations (IPs, CIDRs, host names)
 * over every subnet. Each measured once after a warm-up resolve (the model index is built once per
 * model, as in the app, where an estate is opened once and asked many questions).
 */
import { normalizeArm } from '../../shared/arm/index';
import { generateSyntheticEstate } from '../../shared/demo/index';
import { resolveEgress, type ResolveInput } from '../../shared/egress/index';
import { resolveMatrix } from '../../shared/egress/matrix';
import type { DestinationListEntry } from '../../shared/egress/matrix';
import { computeReach } from '../../shared/egress/reach';
import { ESTATE } from './resolve';
import type { BenchLine } from './types';
import { peakRssBytes } from './child-report';

const MATRIX_DESTINATIONS = Number(process.env.EGRESS_ATLAS_BENCH_MATRIX ?? 100);

/** The process's lifetime peak resident set so far (the bench process also generated and normalized the estate). */
function peakRssMb(): number {
  return Math.round(peakRssBytes() / (1024 * 1024));
}

function timed<T>(work: () => T): { readonly value: T; readonly ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

/** A realistic list: public IPs, CIDRs, SaaS host names, a URL, a private address. */
function destinations(count: number): readonly DestinationListEntry[] {
  const kinds = [
    (i: number) => `52.${i % 250}.${(i * 7) % 250}.10`,
    (i: number) => `40.${i % 250}.0.0/24`,
    (i: number) => `api${i}.saas-vendor.example`,
    (i: number) => `https://pkgs${i}.feeds.example/v1`,
    (i: number) => `10.${i % 250}.1.4`,
  ];
  return Array.from({ length: count }, (_, i) => ({ destination: (kinds[i % kinds.length] ?? kinds[0] ?? ((n: number) => String(n)))(i), label: null }));
}

export async function bench(): Promise<readonly BenchLine[]> {
  const { model, effectiveRoutes, gaps } = normalizeArm([{ fileName: 'synthetic', json: generateSyntheticEstate(ESTATE) }]);
  const input: ResolveInput = { model, effectiveRoutes, metrics: [], gaps };
  const warm = timed(() => resolveEgress(input, {}));
  const reach = timed(() => computeReach(input));
  const unrestricted = reach.value.sources.filter((s) => s.unrestricted).length;
  const list = destinations(MATRIX_DESTINATIONS);
  const matrix = timed(() => resolveMatrix(input, list));
  const cells = matrix.value.rows.length * list.length;
  return [
    { name: 'reach, every source', value: reach.ms / 1000, unit: 's', target: 2, note: `${reach.value.sources.length} sources (${unrestricted} unrestricted) after a ${(warm.ms / 1000).toFixed(2)} s warm-up resolve` },
    {
      name: `matrix, ${list.length} destinations`, value: matrix.ms / 1000, unit: 's', target: 10,
      note: `${matrix.value.rows.length} sources (${model.subnets.length} subnets) x ${list.length} = ${cells.toLocaleString('en-US')} cells; ${(matrix.ms / list.length).toFixed(0)} ms per destination; process peak RSS ${peakRssMb()} MB (incl. generating and normalizing the estate)`,
    },
  ];
}
