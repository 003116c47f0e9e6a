/**
 * The egress graph as a Mermaid `flowchart LR` for wikis and pull requests (GitHub renders it):
 * a subgraph per VNet holding its subnets, firewalls as hexagons, sinks as stadiums, sources
 * coloured by verdict through `classDef`s from the shared palette (and said in words: labels.ts),
 * the title as YAML front matter, and the rest of the title block (scope, destination, capture
 * time, hashes) and a legend of the colours used as nodes of their own: Mermaid deletes `%%`
 * comment lines before it parses (packages/mermaid/src/diagram-api/comments.ts `cleanupComments`),
 * so only a node shows them. The same lines are kept as `%%` comments for readers of the source.
 * A bypassed edge (to an attached NAT gateway a route overrides) is a dotted link without arrowhead
 * (`-.-`), and a NAT gateway only such edges reach is dashed (class `bypassed_nat`), as in the app.
 *
 * Names are user data. Node and subgraph IDs are generated (`n1`, `v1`), never names, so no name
 * can collide with a keyword (`end`, `subgraph`) or break the syntax; every label is quoted and
 * any character outside a small safe set is written as a Mermaid entity code (`#35;`), so quotes,
 * brackets, pipes, `%%`, backticks and HTML in a name show as text.
 */
import { bypassedNodeIds } from '../build-egress-graph';
import { BYPASSED_EDGE_TONE, edgeTone, nodeTone, TONE_COLORS, usesDefaultOutbound, type Tone } from '../palette';
import type { EgressGraph, GraphNode } from '../types';
import { exportGraph } from './labels';
import { BYPASSED_NAT_LEGEND, legendEntries } from './legend';
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

/**
 * Words that make Mermaid rewrite a line before parsing: its `encodeEntities`
 * (packages/mermaid/src/mermaidAPI.ts, run on the whole text) deletes the last `;` of any line
 * matching `/style.*:\S*#.*;/` or `/classDef.*:\S*#.*;/` (meant for `style x fill:#f00;`), which
 * breaks the entity codes this writer uses (`style:a&b` showed as `style:a#38b`). Those patterns
 * need a literal `:` after the word, so in a text holding either word `:` is written `#58;` too and
 * no label line can match. Other texts keep `:` (times, IPv6, "Scope:") readable in the source.
 * Checked case-insensitively: escaping more than needed is harmless.
 */
const ENCODE_ENTITIES_TRIGGER = /style|classdef/i;

/**
 * A label's text for inside `"…"`: unsafe ASCII (and C0/C1 controls, line and bidi separators) as
 * `#<code>;`. `colonUnsafe`: whether the LINE the text is written on holds `style` / `classDef`
 * (see above); by default, whether the text does.
 */
export function mermaidText(text: string, colonUnsafe = ENCODE_ENTITIES_TRIGGER.test(text)): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 32;
    const plainUnicode = code >= 0xa0 && !(code >= 0x2000 && code <= 0x206f) && code !== 0xfeff;
    out += (SAFE.test(ch) && !(colonUnsafe && ch === ':')) || plainUnicode ? ch : `#${code};`;
  }
  return out;
}

/**
 * A `%%` comment line: cannot end the comment early, since it has no line breaks; and holds no
 * directive. Mermaid finds `%%{…}%%` directives anywhere in the text (`directiveRegex`,
 * packages/mermaid/src/diagram-api/regexes.ts) and applies them BEFORE it removes comments
 * (preprocess.ts: `processDirectives` then `cleanupComments`), so `%%{init: …}%%` in a file name,
 * tenant ID or source name would restyle the diagram. Every `%` followed by `%` gets a space after
 * it, so no `%%` is left in the text (and `%%{` / `}%%` cannot form).
 */
function comment(text: string): string {
  return `%% ${text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/%(?=%)/g, '% ')}`;
}

/** Lines of one label, joined by `<br/>`; `:` is escaped in all of them when any holds a trigger word, as they share one line of the file. */
function mermaidLines(texts: readonly string[]): string {
  const colonUnsafe = texts.some((t) => ENCODE_ENTITIES_TRIGGER.test(t));
  return texts.map((t) => mermaidText(t, colonUnsafe)).join('<br/>');
}

function label(node: GraphNode): string {
  return mermaidLines(node.sublabel.length > 0 ? [node.label, node.sublabel] : [node.label]);
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

/**
 * IDs of the title block and legend: fixed, distinct from the graph's `n<i>` / `v<i>`, and no
 * keyword or direction (`TB`) nor holding `end`, which Mermaid's flowchart lexer trips on.
 */
const TITLE_BLOCK_ID = 'meta_block';
/** Hex characters of a SHA-256 the shown title block keeps (as the evidence PDF's footer does). */
const HASH_SHOWN = 16;
/**
 * Characters per shown title-block line: a tenant GUID with its label fits. Mermaid does not wrap
 * a plain label, so the block was one node as wide as its longest line (a 64-character hash, a long
 * scope) beside a much smaller graph.
 */
const TITLE_LINE_MAX = 56;

/** Words packed into lines of at most `max` characters (a word longer than that keeps its own line). */
function wrapWords(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > max) {
      out.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * A line wrapped at its `; ` parts first (the scope's tenant; subscriptions; sources), so a part is
 * not split across lines when it fits one; a part longer than a line is wrapped at its spaces.
 */
function wrapLine(line: string, max: number): readonly string[] {
  const out: string[] = [];
  for (const part of line.split(/(?<=;) /)) {
    const last = out[out.length - 1];
    if (last !== undefined && last.length + 1 + part.length <= max) out[out.length - 1] = `${last} ${part}`;
    else out.push(...wrapWords(part, max));
  }
  return out;
}

/**
 * The title block as shown: one fact per line, long lines wrapped, and each SHA-256 cut to its first
 * 16 characters and "…" (the full values stay in the `%%` comment lines at the top, which Mermaid
 * does not show; the block says so, so no reader takes the prefix for the whole hash).
 */
function shownTitleLines(meta: DiagramMeta): readonly string[] {
  const short = (hash: string): string => (hash.length > HASH_SHOWN ? `${hash.slice(0, HASH_SHOWN)}\u2026` : hash);
  const shortened = meta.snapshotSha256.length > HASH_SHOWN || (meta.contentSha256 ?? '').length > HASH_SHOWN;
  const shown = metaLines({
    ...meta,
    snapshotSha256: short(meta.snapshotSha256),
    ...(meta.contentSha256 === undefined ? {} : { contentSha256: short(meta.contentSha256) }),
  });
  return [
    ...shown.flatMap((line) => wrapLine(line, TITLE_LINE_MAX)),
    ...(shortened ? ['SHA-256 values shortened here: the full values', 'are in the %% comment lines at the top of the file.'] : []),
  ];
}
const TITLE_LINES_ID = 'meta_lines';
const LEGEND_ID = 'key_block';

export function toMermaid(given: EgressGraph, meta: DiagramMeta): string {
  const graph = exportGraph(given);
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

  // The title block, shown: the `%%` lines above are deleted by Mermaid before it parses, and the
  // README promises scope, destination, capture time and hash on every diagram. One node (a
  // subgraph titled "Title block"), its lines joined by `<br/>` as in the node labels, wrapped and
  // with the hashes shortened so the block is not wider than the diagram (shownTitleLines).
  lines.push(`  subgraph ${TITLE_BLOCK_ID}["Title block"]`);
  lines.push(`    ${TITLE_LINES_ID}["${mermaidLines(shownTitleLines(meta))}"]`);
  lines.push('  end');
  lines.push(`  style ${TITLE_BLOCK_ID} fill:#ffffff,stroke:${TONE_COLORS.neutral.stroke},color:${TEXT_COLOR}`);
  lines.push(`  style ${TITLE_LINES_ID} fill:#ffffff,stroke:#ffffff,color:${TEXT_COLOR}`);
  // The legend: one swatch node per encoding used, filled like the nodes it explains (the entries
  // draw.io and SVG draw, legend.ts), so the colours mean something on the page.
  const legend = legendEntries(graph);
  const legendIds = legend.map((_entry, i) => `key_${i + 1}`);
  if (legend.length > 0) {
    lines.push(`  subgraph ${LEGEND_ID}["Legend"]`);
    lines.push('    direction TB');
    legend.forEach((entry, i) => lines.push(`    ${legendIds[i] ?? ''}["${mermaidLines([entry.text])}"]`));
    lines.push('  end');
    lines.push(`  style ${LEGEND_ID} fill:#ffffff,stroke:${TONE_COLORS.neutral.stroke},color:${TEXT_COLOR}`);
  }

  for (const edge of graph.edges) {
    const source = ids.get(edge.source);
    const target = ids.get(edge.target);
    if (source === undefined || target === undefined) continue;
    // A bypassed edge (to an attached NAT gateway a route overrides) carries no traffic: dotted, no arrowhead.
    const link = edge.bypassed === true ? '-.-' : '-->';
    lines.push(edge.label.length > 0 ? `  ${source} ${link}|"${mermaidLines([edge.label])}"| ${target}` : `  ${source} ${link} ${target}`);
  }
  // Edge colours: linkStyle by index, in the order the edges were written.
  graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).forEach((edge, i) => {
    const tone = edge.bypassed === true ? BYPASSED_EDGE_TONE : edgeTone(tones.get(edge.source) ?? 'exit', tones.get(edge.target) ?? 'exit');
    lines.push(`  linkStyle ${i} stroke:${TONE_COLORS[tone].stroke}`);
  });

  const byTone = new Map<Tone, string[]>();
  const addToTone = (tone: Tone, id: string): void => {
    const list = byTone.get(tone) ?? [];
    list.push(id);
    byTone.set(tone, list);
  };
  for (const node of graph.nodes) {
    const id = ids.get(node.id);
    const tone = tones.get(node.id);
    if (id === undefined || tone === undefined || (node.kind === 'vnet' && (children.get(node.id)?.length ?? 0) > 0)) continue;
    addToTone(tone, id);
  }
  legend.forEach((entry, i) => addToTone(entry.tone, legendIds[i] ?? ''));
  for (const [tone, members] of byTone) {
    const colors = TONE_COLORS[tone];
    lines.push(`  classDef ${className(tone)} fill:${colors.fill},stroke:${colors.stroke},color:${TEXT_COLOR}`);
    lines.push(`  class ${members.join(',')} ${className(tone)}`);
  }
  const dashed = [
    ...graph.nodes.filter(usesDefaultOutbound).map((n) => ids.get(n.id)),
    ...legend.map((entry, i) => (entry.dashed && entry.text !== BYPASSED_NAT_LEGEND ? legendIds[i] : undefined)),
  ].filter((id): id is string => id !== undefined);
  if (dashed.length > 0) {
    lines.push('  classDef default_outbound stroke-dasharray:6 3,stroke-width:2px');
    lines.push(`  class ${dashed.join(',')} default_outbound`);
  }
  // A NAT gateway only bypassed edges reach (attached, overridden by a route), and its legend entry: dashed as in the app.
  const bypassed = bypassedNodeIds(graph);
  const bypassedIds = [
    ...graph.nodes.filter((n) => bypassed.has(n.id)).map((n) => ids.get(n.id)),
    ...legend.map((entry, i) => (entry.text === BYPASSED_NAT_LEGEND ? legendIds[i] : undefined)),
  ].filter((id): id is string => id !== undefined);
  if (bypassedIds.length > 0) {
    lines.push('  classDef bypassed_nat stroke-dasharray:6 3,stroke-width:2px');
    lines.push(`  class ${bypassedIds.join(',')} bypassed_nat`);
  }
  return `${lines.join('\n')}\n`;
}
