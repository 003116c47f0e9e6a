/**
 * Azure Monitor metrics over the last 24 h, plain GETs (no @azure/arm-monitor needed):
 *  - SNAT health: NAT gateway failed SNAT connections and dropped packets, Azure Firewall SNAT
 *    port utilization;
 *  - bytes for cost attribution (issue 13): NAT gateway `ByteCount` (Total, split by its
 *    `Direction` dimension, In / Out) and Azure Firewall `DataProcessed` (Total, no dimensions).
 * [NAT metrics] https://learn.microsoft.com/azure/nat-gateway/nat-metrics ("Bytes: bytes processed
 *   inbound and outbound", dimensions Direction (In; Out) and Protocol; use Sum, not Count)
 * [Firewall metrics] https://learn.microsoft.com/azure/firewall/metrics
 * [Supported metrics] https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-network-natgateways-metrics
 *   and …/microsoft-network-azurefirewalls-metrics (`ByteCount`, `DataProcessed`: unit Bytes, aggregation Total)
 */
import type { ResourceMetric } from '../../shared/model/snapshot';
import type { NetworkModel } from '../../shared/model/topology';
import type { ResourceId } from '../../shared/model/ids';
import { gapFromError, isCancellation } from './errors';
import type { PullRuntime } from './runtime';

export const METRICS_API_VERSION = '2023-10-01';

/** The metrics window: the cost model scales bytes from it to a month (730 h / 24 h). */
export const METRICS_WINDOW_HOURS = 24;

export interface MetricQuery {
  readonly resourceId: ResourceId;
  readonly metricName: string;
  readonly aggregation: 'Total' | 'Maximum';
  readonly filter: string | null;
  /**
   * Split the answer by this dimension (`$filter=<dimension> eq '*'`): one series per value, kept
   * as a record per value (filter `<dimension> eq '<value>'`) besides the unfiltered total.
   */
  readonly splitBy: string | null;
  /**
   * A byte counter for cost: an answer without a single data point is a gap (the bytes are
   * unknown), not 0 bytes, so a cost figure is never a silent 0.
   */
  readonly bytes: boolean;
}

export function metricQueries(model: NetworkModel): readonly MetricQuery[] {
  const q = (resourceId: ResourceId, metricName: string, aggregation: 'Total' | 'Maximum', extra: Partial<Pick<MetricQuery, 'filter' | 'splitBy' | 'bytes'>> = {}): MetricQuery => ({
    resourceId, metricName, aggregation, filter: extra.filter ?? null, splitBy: extra.splitBy ?? null, bytes: extra.bytes ?? false,
  });
  return [
    ...model.natGateways.flatMap((n): MetricQuery[] => [
      q(n.id, 'SNATConnectionCount', 'Total', { filter: "ConnectionState eq 'Failed'" }),
      q(n.id, 'PacketDropCount', 'Total'),
      q(n.id, 'ByteCount', 'Total', { splitBy: 'Direction', bytes: true }),
    ]),
    ...model.azureFirewalls.flatMap((f): MetricQuery[] => [
      q(f.id, 'SNATPortUtilization', 'Maximum'),
      q(f.id, 'DataProcessed', 'Total', { bytes: true }),
    ]),
  ];
}

export function metricsPath(q: MetricQuery, windowStart: string, windowEnd: string): string {
  const params = new URLSearchParams({
    'api-version': METRICS_API_VERSION, metricnames: q.metricName, timespan: `${windowStart}/${windowEnd}`,
    aggregation: q.aggregation, interval: 'PT1H',
  });
  const filters = [...(q.filter === null ? [] : [q.filter]), ...(q.splitBy === null ? [] : [`${q.splitBy} eq '*'`])];
  if (filters.length > 0) params.set('$filter', filters.join(' and '));
  return `${q.resourceId}/providers/Microsoft.Insights/metrics?${params.toString()}`;
}

/** One time series of an answer: its value of the split dimension (null: not split) and its points. */
export interface MetricSeries {
  readonly dimensionValue: string | null;
  readonly points: readonly number[];
}

/**
 * The series of the first metric in an Azure Monitor answer (`value[0].timeseries[]`), with the
 * numbers under the aggregation's field (`total` / `maximum`) and, when split, each series' value
 * of that dimension (`metadatavalues[].name.value`, matched without case: Azure lower-cases it).
 * Null when the answer has no metric at all.
 */
export function readMetricSeries(body: unknown, aggregation: 'Total' | 'Maximum', splitBy: string | null = null): { unit: string; series: readonly MetricSeries[] } | null {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value) || value.length === 0) return null;
  const first = value[0] as { unit?: unknown; timeseries?: unknown };
  const timeseries: readonly unknown[] = Array.isArray(first.timeseries) ? first.timeseries : [];
  const key = aggregation === 'Total' ? 'total' : 'maximum';
  const series: MetricSeries[] = [];
  for (const s of timeseries) {
    const data = (s as { data?: unknown }).data;
    const points: number[] = [];
    if (Array.isArray(data)) {
      for (const p of data) {
        const v = (p as Record<string, unknown>)[key];
        if (typeof v === 'number' && Number.isFinite(v)) points.push(v);
      }
    }
    series.push({ dimensionValue: splitBy === null ? null : dimensionValueOf(s, splitBy), points });
  }
  return { unit: typeof first.unit === 'string' ? first.unit : 'Count', series };
}

function dimensionValueOf(series: unknown, dimension: string): string | null {
  const meta = (series as { metadatavalues?: unknown }).metadatavalues;
  if (!Array.isArray(meta)) return null;
  for (const m of meta) {
    const name = (m as { name?: { value?: unknown } }).name?.value;
    const value = (m as { value?: unknown }).value;
    if (typeof name === 'string' && name.toLowerCase() === dimension.toLowerCase() && typeof value === 'string') return value;
  }
  return null;
}

const aggregate = (points: readonly number[], aggregation: 'Total' | 'Maximum'): number =>
  points.length === 0 ? 0 : aggregation === 'Total' ? points.reduce((a, b) => a + b, 0) : Math.max(...points);

/** Total = sum of the points of every series; Maximum = max of them. */
export function reduceMetric(body: unknown, aggregation: 'Total' | 'Maximum'): { value: number; unit: string } | null {
  const read = readMetricSeries(body, aggregation);
  if (read === null) return null;
  return { value: aggregate(read.series.flatMap((s) => s.points), aggregation), unit: read.unit };
}

/**
 * The records one answer gives: the total over every series (filter null, or the query's filter)
 * and, for a split query, one per dimension value. A byte counter without a single point: a reason
 * for a gap instead.
 */
export function metricRecords(q: MetricQuery, body: unknown, windowStart: string, windowEnd: string): { records: readonly ResourceMetric[] } | { missing: string } {
  const read = readMetricSeries(body, q.aggregation, q.splitBy);
  if (read === null) return { missing: `Azure Monitor returned no ${q.metricName} series.` };
  const all = read.series.flatMap((s) => s.points);
  if (q.bytes && all.length === 0) {
    return { missing: `Azure Monitor returned no ${q.metricName} data points for ${windowStart}/${windowEnd}: the bytes are unknown (not taken as 0).` };
  }
  const base = { resourceId: q.resourceId, metricName: q.metricName, aggregation: q.aggregation, windowStart, windowEnd, unit: read.unit };
  const records: ResourceMetric[] = [{ ...base, filter: q.filter, value: aggregate(all, q.aggregation) }];
  if (q.splitBy !== null) {
    const byValue = new Map<string, number[]>();
    for (const s of read.series) {
      if (s.dimensionValue === null) continue;
      byValue.set(s.dimensionValue, [...(byValue.get(s.dimensionValue) ?? []), ...s.points]);
    }
    for (const [v, points] of [...byValue.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const own = `${q.splitBy} eq '${v}'`;
      records.push({ ...base, filter: q.filter === null ? own : `${q.filter} and ${own}`, value: aggregate(points, q.aggregation) });
    }
  }
  return { records };
}

const compareMetrics = (a: ResourceMetric, b: ResourceMetric): number => {
  const ka = `${a.resourceId}|${a.metricName}|${a.filter ?? ''}`;
  const kb = `${b.resourceId}|${b.metricName}|${b.filter ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

export async function fetchMetrics(rt: PullRuntime, model: NetworkModel, windowEndMs: number, onDone: () => void): Promise<readonly ResourceMetric[]> {
  const windowEnd = new Date(windowEndMs).toISOString();
  const windowStart = new Date(windowEndMs - METRICS_WINDOW_HOURS * 3600_000).toISOString();
  const out: ResourceMetric[] = [];
  await Promise.all(metricQueries(model).map((q) => rt.limiter.run(async () => {
    try {
      const body = await rt.arm.getJson(metricsPath(q, windowStart, windowEnd), rt.signal);
      const read = metricRecords(q, body, windowStart, windowEnd);
      if ('missing' in read) rt.addGap({ code: 'metrics-unavailable', scope: q.resourceId, message: read.missing });
      else out.push(...read.records);
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      rt.addGap({ ...gapFromError(q.resourceId, `Reading metric ${q.metricName}`, error), code: 'metrics-unavailable' });
    } finally {
      onDone();
    }
  })));
  return out.sort(compareMetrics);
}
