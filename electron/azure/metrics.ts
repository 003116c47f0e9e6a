/**
 * SNAT health from Azure Monitor (last 24 h): NAT gateway failed SNAT connections and dropped
 * packets, Azure Firewall SNAT port utilization. Plain GETs (no @azure/arm-monitor needed).
 * [NAT metrics] https://learn.microsoft.com/azure/nat-gateway/nat-metrics
 * [Firewall metrics] https://learn.microsoft.com/azure/firewall/metrics
 */
import type { ResourceMetric } from '../../shared/model/snapshot';
import type { NetworkModel } from '../../shared/model/topology';
import type { ResourceId } from '../../shared/model/ids';
import { gapFromError, isCancellation } from './errors';
import type { PullRuntime } from './runtime';

export const METRICS_API_VERSION = '2023-10-01';

interface MetricQuery {
  readonly resourceId: ResourceId;
  readonly metricName: string;
  readonly aggregation: 'Total' | 'Maximum';
  readonly filter: string | null;
}

export function metricQueries(model: NetworkModel): readonly MetricQuery[] {
  return [
    ...model.natGateways.flatMap((n): MetricQuery[] => [
      { resourceId: n.id, metricName: 'SNATConnectionCount', aggregation: 'Total', filter: "ConnectionState eq 'Failed'" },
      { resourceId: n.id, metricName: 'PacketDropCount', aggregation: 'Total', filter: null },
    ]),
    ...model.azureFirewalls.map((f): MetricQuery => ({ resourceId: f.id, metricName: 'SNATPortUtilization', aggregation: 'Maximum', filter: null })),
  ];
}

export function metricsPath(q: MetricQuery, windowStart: string, windowEnd: string): string {
  const params = new URLSearchParams({
    'api-version': METRICS_API_VERSION, metricnames: q.metricName, timespan: `${windowStart}/${windowEnd}`,
    aggregation: q.aggregation, interval: 'PT1H',
  });
  if (q.filter !== null) params.set('$filter', q.filter);
  return `${q.resourceId}/providers/Microsoft.Insights/metrics?${params.toString()}`;
}

/** Total = sum of the points; Maximum = max of the points. */
export function reduceMetric(body: unknown, aggregation: 'Total' | 'Maximum'): { value: number; unit: string } | null {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value) || value.length === 0) return null;
  const first = value[0] as { unit?: unknown; timeseries?: unknown };
  const series = Array.isArray(first.timeseries) ? first.timeseries : [];
  const key = aggregation === 'Total' ? 'total' : 'maximum';
  const points: number[] = [];
  for (const s of series) {
    const data = (s as { data?: unknown }).data;
    if (!Array.isArray(data)) continue;
    for (const p of data) {
      const v = (p as Record<string, unknown>)[key];
      if (typeof v === 'number') points.push(v);
    }
  }
  const unit = typeof first.unit === 'string' ? first.unit : 'Count';
  if (points.length === 0) return { value: 0, unit };
  return { value: aggregation === 'Total' ? points.reduce((a, b) => a + b, 0) : Math.max(...points), unit };
}

export async function fetchMetrics(rt: PullRuntime, model: NetworkModel, windowEndMs: number, onDone: () => void): Promise<readonly ResourceMetric[]> {
  const windowEnd = new Date(windowEndMs).toISOString();
  const windowStart = new Date(windowEndMs - 24 * 3600_000).toISOString();
  const out: ResourceMetric[] = [];
  await Promise.all(metricQueries(model).map((q) => rt.limiter.run(async () => {
    try {
      const body = await rt.arm.getJson(metricsPath(q, windowStart, windowEnd), rt.signal);
      const reduced = reduceMetric(body, q.aggregation);
      if (reduced === null) {
        rt.addGap({ code: 'metrics-unavailable', scope: q.resourceId, message: `Azure Monitor returned no ${q.metricName} series.` });
      } else {
        out.push({ resourceId: q.resourceId, metricName: q.metricName, filter: q.filter, aggregation: q.aggregation, windowStart, windowEnd, ...reduced });
      }
    } catch (error) {
      if (isCancellation(error, rt.signal)) throw error;
      rt.addGap({ ...gapFromError(q.resourceId, `Reading metric ${q.metricName}`, error), code: 'metrics-unavailable' });
    } finally {
      onDone();
    }
  })));
  return out.sort((a, b) => (a.resourceId + a.metricName < b.resourceId + b.metricName ? -1 : 1));
}
