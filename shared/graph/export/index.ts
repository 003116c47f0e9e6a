/**
 * Diagram exports of the egress graph: draw.io (editable), standalone SVG, Mermaid. Pure
 * functions of a graph, its layout and a title block (`DiagramMeta`), so the CLI and the app's
 * Export menu write the same files.
 */
export { toDrawio } from './drawio';
export { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT_SIZE, mermaidLimitProblem, mermaidText, toMermaid } from './mermaid';
export { toSvg } from './svg';
export type { SvgOptions, SvgTheme } from './svg';
export { DEFAULT_DESTINATION_TEXT, diagramMeta, metaLines } from './meta';
export type { DiagramMeta, DiagramMetaOptions } from './meta';
export { BYPASSED_NAT_LEGEND, DEFAULT_OUTBOUND_LEGEND, legendEntries } from './legend';
export type { LegendEntry } from './legend';
export { xmlEscape } from './xml';
export { BYPASSED_NAT_TEXT, EXPORT_LAYOUT_OPTIONS, exportGraph, sourceVerdictText, withBypassedNatText } from './labels';
export { verdictCountsText } from '../palette';
