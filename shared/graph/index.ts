/**
 * The egress path graph: build (`buildEgressGraph`), pick a view (`chooseDefaultView`), highlight a
 * path (`pathElementIds`), lay it out (`layoutEgressGraph`, ELK; `layoutLayeredQuick`, synchronous).
 * See types.ts and layout-types.ts for the data contract.
 */
export * from './types';
export * from './layout-types';
export {
  buildDefaultGraph, buildEgressGraph, bypassedNodeIds, chooseDefaultView, DEFAULT_ELEMENT_BUDGET, edgeId, graphElementCount, pathElementIds,
} from './build-egress-graph';
export {
  DEFAULT_OUTBOUND_ID, INTERNET_ID, ON_PREMISES_ID, PUBLIC_IP_PREFIX, UNKNOWN_SINK_ID,
} from './graph-nodes';
export { layoutEgressGraph, toElkGraph } from './layout';
export { layoutLayeredQuick } from './layout-quick';
export { DEFAULT_QUICK_THRESHOLD, leafSize, resolveLayoutOptions } from './node-sizes';
export { ELLIPSIS, estimateTextWidth, GRAPH_FONT_FAMILY, truncateToWidth } from './text-width';
export type { FontWeight } from './text-width';
