/**
 * The egress graph as a Mermaid `flowchart LR` for wikis and pull requests (GitHub renders it):
 * a subgraph per VNet holding its subnets, firewalls as hexagons, sinks as stadiums, sources
 * coloured by verdict through `classDef`s from the shared palette, and the title block as YAML
 * front matter (title) plus `%%` comment lines (scope, destination, capture time, hash).
 *
 * Names are user data. Node and subgraph IDs are generated (`n1`, `v1`), never names, so no name
 * can collide with a keyword (`end`, `subgraph`) or break the syntax; every label is quoted and
 * any character outside a small safe set is written as a Mermaid entity code (`#35;`), so quotes,
 * brackets, pipes, `%%`, backticks and HTML in a name show as text.
 */
import { edgeTone, nodeTone, TONE_COLORS, usesDefaultOutbound, type Tone } from '../palette';
import type { EgressGraph, GraphNode } from '../types';
import { metaLines, type DiagramMeta } from './meta';

const TEXT_COLOR = '#1f2328';

/**
 * Mermaid's default limits (config `maxTextSize`, `maxEdges`), which GitHub does not raise: above
 * either it shows an error instead of the diagram, so the CLI warns.
 */
export const MERMAID_MAX_TEXT_SIZE = 50_000;
export const MERMAID_MAX_EDGES = 500;

/** Why a renderer with default limits will refuse this text, or null when it fits. */
export function mermaidLimitProblem(text: string, edgeCount: number): string | null {
  if (text.length > MERMAID_MAX_TEXT_SIZE) return `${text.length} characters is more than Mermaid's default maxTextSize (${MERMAID_MAX_TEXT_SIZE})`;
  if (edgeCount > MERMAID_MAX_EDGES) return `${edgeCount} edges is more than Mermaid's default maxEdges (${MERMAID_MAX_EDGES})`;
  return null;
}

/** Letters, digits and punctuation with no meaning inside a quoted Mermaid label. */
const SAFE = /[A-Za-z0-9 .,:/()_+=@-]/;

/** A label's text for inside `"…"`: unsafe ASCII (and C0/C1 controls, line and bidi separators) as `#<code>;`. */
export function mermaidText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 32;
    const plainUnicode = code >= 0xa0 && !(code >= 0x2000 && code <= 0x206f) && code !== 0xfeff;
    out += SAFE.test(ch) || plainUnicode ? ch : `#${code};`;
  }
  return out;
}

/** A `%%` comment line: cannot end the comment early, since it has no line breaks. */
function comment(text: string): string {
  return `%% ${text.replace(/[\r\n\u2028\u2029]+/g, ' ')}`;
}

function label(node: GraphNode): string {
  const main = mermaidText(node.label);
  return node.sublabel.length > 0 ? `${main}<br/>${mermaidText(node.sublabel)}` : main;
}

function shape(node: GraphNode, id: string): string {
  const text = `"${label(node)}"`;
  switch (node.kind) {
    case 'azure-firewall': case 'nva': case 'internal-load-balancer': case 'virtual-network-gateway': case 'virtual-hub':
      return `${id}{{${text}}}`;
    case 'internet': case 'private': case 'on-premises': case 'dropped': case 'unknown':
      return `${id}([${text}])`;
    case 'nat-gateway': case 'load-balancer': case 'default-outbound': case 'public-ip':
      return `${id}(${text})`;
    case 'vnet': case 'subnet': case 'nic':
      return `${id}[${text}]`;
  }
}

function className(tone: Tone): string {
  return `t_${tone.replace(/-/g, '_')}`;
}

export function toMermaid(graph: EgressGraph, meta: DiagramMeta): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i + 1}`]));
  const tones = new Map(graph.nodes.map((n) => [n.id, nodeTone(n)]));
  const children = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    if (node.parent === null) continue;
    const list = children.get(node.parent) ?? [];
    list.push(node);
    children.set(node.parent, list);
  }
  // JSON strings are valid YAML double-quoted scalars, so the title cannot escape the front matter.
  const lines: string[] = ['---', `title: ${JSON.stringify(meta.title)}`, '---', 'flowchart LR', ...metaLines(meta).map((line) => `  ${comment(line)}`)];
  const placed = new Set<string>();
  let subgraphs = 0;
  const emit = (node: GraphNode, indent: string): void => {
    const id = ids.get(node.id) ?? '';
    const inside = children.get(node.id) ?? [];
    if (node.kind === 'vnet' && inside.length > 0) {
      subgraphs++;
      const subgraphId = `v${subgraphs}`;
      lines.push(`${indent}subgraph ${subgraphId}["${label(node)}"]`);
      for (const child of inside) emit(child, `${indent}  `);
      lines.push(`${indent}end`);
      lines.push(`${indent}style ${subgraphId} fill:${TONE_COLORS.neutral.fill},stroke:${TONE_COLORS.neutral.stroke},stroke-dasharray:5 4,color:${TEXT_COLOR}`);
    } else {
      lines.push(`${indent}${shape(node, id)}`);
    }
    placed.add(node.id);
  };
  for (const node of graph.nodes) if (node.parent === null || !ids.has(node.parent)) emit(node, '  ');
  // A child whose parent was not drawn as a subgraph (cannot happen for well-formed graphs) still gets a node.
  for (const node of graph.nodes) if (!placed.has(node.id)) emit(node, '  ');

  for (const edge of graph.edges) {
    const source = ids.get(edge.source);
    const target = ids.get(edge.target);
    if (source === undefined || target === undefined) continue;
    lines.push(edge.label.length > 0 ? `  ${source} -->|"${mermaidText(edge.label)}"| ${target}` : `  ${source} --> ${target}`);
  }
  // Edge colours: linkStyle by index, in the order the edges were written.
  graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).forEach((edge, i) => {
    const tone = edgeTone(tones.get(edge.source) ?? 'exit', tones.get(edge.target) ?? 'exit');
    lines.push(`  linkStyle ${i} stroke:${TONE_COLORS[tone].stroke}`);
  });

  const byTone = new Map<Tone, string[]>();
  for (const node of graph.nodes) {
    const id = ids.get(node.id);
    const tone = tones.get(node.id);
    if (id === undefined || tone === undefined || (node.kind === 'vnet' && (children.get(node.id)?.length ?? 0) > 0)) continue;
    const list = byTone.get(tone) ?? [];
    list.push(id);
    byTone.set(tone, list);
  }
  for (const [tone, members] of byTone) {
    const colors = TONE_COLORS[tone];
    lines.push(`  classDef ${className(tone)} fill:${colors.fill},stroke:${colors.stroke},color:${TEXT_COLOR}`);
    lines.push(`  class ${members.join(',')} ${className(tone)}`);
  }
  const dashed = graph.nodes.filter(usesDefaultOutbound).map((n) => ids.get(n.id)).filter((id): id is string => id !== undefined);
  if (dashed.length > 0) {
    lines.push('  classDef default_outbound stroke-dasharray:6 3,stroke-width:2px');
    lines.push(`  class ${dashed.join(',')} default_outbound`);
  }
  return `${lines.join('\n')}\n`;
}
