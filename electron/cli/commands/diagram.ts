/**
 * `egress-atlas diagram`: the path graph as a file people file and edit: draw.io (plain mxGraph
 * XML), a standalone SVG (light by default), that SVG as a PNG, or a Mermaid flowchart. The graph is the app's
 * (`buildEgressGraph`: the default view for the whole estate, the `path` view for `--source`), laid
 * out like the evidence PDF does: ELK, or the quick layered layout above the PDF's path threshold
 * (ELK took seconds on 2,000-subnet estates), with labels never truncated.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { resolveEgress } from '../../../shared/egress/index';
import { buildDefaultGraph, buildEgressGraph } from '../../../shared/graph/build-egress-graph';
import type { EgressGraph } from '../../../shared/graph/types';
import { diagramMeta, EXPORT_LAYOUT_OPTIONS, exportGraph, mermaidLimitProblem, toDrawio, toMermaid, toSvg } from '../../../shared/graph/export/index';
import type { Snapshot } from '../../../shared/model/snapshot';
import { oneOf, parseArgs, stringOption, takeRepeated, UsageError } from '../args';
import type { CliCommand, CliIo } from '../command';
import { outFile, refuseStdout } from '../out';
import { applyServiceTags, demoSnapshot, loadEstate, loadServiceTags, pickDemo } from '../estate';
import { parseTimestamp } from './report';
import { parseResolveOptions, sourceMatches, validateDestination } from './resolve';
import { wroteLine } from '../format-table';

const USAGE = `Usage: egress-atlas diagram <input...> --format drawio|svg|png|mermaid --out <file> [options]
       egress-atlas diagram --demo [name] --format drawio|svg|png|mermaid --out <file> [options]

Draws the egress path graph to a file: VNets holding their subnets, firewalls, NAT gateways,
public IPs, load balancers and gateways, and where each path ends, coloured by verdict, with a
title block (scope, destination, capture time, snapshot SHA-256) and a legend.

Formats:
  drawio    plain (uncompressed) draw.io XML: VNets as containers, Azure icons from draw.io's
            built-in Azure set; opens in draw.io / diagrams.net and the VS Code extension
  svg       a standalone SVG (light background; --theme dark for a dark one)
  png       the same drawing as a PNG at 2x (--scale), fonts embedded, so it looks the same anywhere
  mermaid   a Mermaid flowchart (GitHub renders it in Markdown files and pull requests)

Options:
  --format <format>         drawio, svg, png or mermaid (required)
  --out <file>              the file to write (required; - for stdout, not for png: a binary file)
  --scale <n>               png pixels per SVG unit, 0.5 to 4 (default 2; less if the image
                            would pass 16,384 px a side or 120 million pixels)
  --demo [name]             use an embedded demo estate (default: bank)
  --source <name-or-id>     only this subnet's or NIC's path (repeatable)
  --view full|overview      the whole estate node by node, or one box per VNet (default: full
                            unless the estate is too big for it, as in the app)
  --destination <dest>      what-if: draw the paths to this destination (default: 0.0.0.0/0)
  --resolve <name=ip>       the public address a host name resolves to (repeatable)
  --theme light|dark        SVG / PNG colours (default: light; svg and png only)
  --timestamp <ISO8601>     export time to record (default: now; a demo's capture time too)
  --service-tags <file>     service tag prefixes (ServiceTags_Public_*.json)
  --help                    this text

Exit codes: 0 ok, 1 an operational failure such as an unwritable --out, 2 bad input or usage.
`;

const SPEC = {
  demo: 'optional-value', format: 'value', out: 'value', destination: 'value', theme: 'value', timestamp: 'value', view: 'value', scale: 'value',
  'service-tags': 'value', help: 'flag',
} as const;

/** Same switch as the evidence PDF (diagram-sheets.ts QUICK_LAYOUT_ABOVE_PATHS), for the same reason. */
const QUICK_LAYOUT_ABOVE_PATHS = 300;

async function loadSnapshot(inputs: readonly string[], demo: string | true | undefined, exportedAt: Date, io: CliIo, serviceTags: string | undefined): Promise<Snapshot> {
  // As in `report`: a demo's capture time is the export time, so --timestamp pins the whole file.
  if (demo !== undefined && inputs.length === 0) return applyServiceTags(demoSnapshot(pickDemo(demo), exportedAt), await loadServiceTags(serviceTags, io.cwd));
  // ARM / az exports carry no capture time, so an import of exports alone is stamped with its read
  // time (electron/snapshot/load.ts). Read "now" as the export time, as `report` does: the files
  // are read as the diagram is drawn, so that is the true read time, and with --timestamp the
  // stamp, the snapshot hash and so the whole file are the same at every run. The title block says
  // the time is a read time, not a capture (meta.ts `captureTimeRecorded`).
  return loadEstate(inputs, demo, io.cwd, serviceTags, exportedAt);
}

/**
 * How to get under Mermaid's limits from the view drawn: advice that names the view already drawn
 * (the overview is what a large estate gets by default) would send the user round in a circle.
 */
function narrowingAdvice(view: EgressGraph['view']['kind']): string {
  switch (view) {
    case 'full': return 'narrow it with --source or --view overview';
    case 'overview': return 'this is already the VNet overview: narrow it with --source, or use --format svg or drawio';
    case 'path': return 'give fewer --source, or use --format svg or drawio';
  }
}

export const diagramCommand: CliCommand = {
  name: 'diagram',
  summary: 'Draw the path graph as draw.io, SVG, PNG or Mermaid (title, legend, snapshot hash)',
  usage: USAGE,
  async run(args, io) {
    const { values: sources, rest: afterSources } = takeRepeated(args, 'source', { splitCommas: false });
    const { values: resolveValues, rest } = takeRepeated(afterSources, 'resolve', { splitCommas: false });
    const parsed = parseArgs(rest, SPEC, ['source', 'resolve']);
    if (parsed.options.help === true) {
      io.stdout(USAGE);
      return 0;
    }
    const formatText = stringOption(parsed, 'format');
    if (formatText === undefined) throw new UsageError('--format drawio|svg|png|mermaid is required');
    const format = oneOf(parsed, 'format', ['drawio', 'svg', 'png', 'mermaid'] as const, 'svg');
    const theme = oneOf(parsed, 'theme', ['light', 'dark'] as const, 'light');
    const out = stringOption(parsed, 'out');
    if (out === undefined) throw new UsageError('--out <file> is required (- for stdout)');
    // The one --out - rule (../out): text formats to stdout, a binary one refused.
    if (format === 'png') refuseStdout(out, '--format png writes a binary file', '<file>.png');
    const scaleText = stringOption(parsed, 'scale');
    if (scaleText !== undefined && format !== 'png') throw new UsageError('--scale applies to --format png only');
    // draw.io and Mermaid files carry no colour scheme of their own: a --theme there would be ignored silently.
    if (stringOption(parsed, 'theme') !== undefined && format !== 'svg' && format !== 'png') throw new UsageError('--theme applies to --format svg and png only');
    const scale = scaleText === undefined ? 2 : Number(scaleText);
    if (!/^\d+(\.\d+)?$/.test(scaleText ?? '2') || scale < 0.5 || scale > 4) throw new UsageError(`--scale needs a number from 0.5 to 4, not "${scaleText ?? ''}"`);
    const destinationText = stringOption(parsed, 'destination');
    const destination = destinationText === undefined ? null : validateDestination(destinationText);
    const resolve = parseResolveOptions(resolveValues);
    const timestamp = stringOption(parsed, 'timestamp');
    const view = stringOption(parsed, 'view') === undefined ? null : oneOf(parsed, 'view', ['full', 'overview'] as const, 'full');
    if (view !== null && sources.length > 0) throw new UsageError('give --source or --view, not both');
    const exportedAt = timestamp === undefined ? new Date() : parseTimestamp(timestamp);

    const snapshot = await loadSnapshot(parsed.positionals, parsed.options.demo, exportedAt, io, stringOption(parsed, 'service-tags'));
    const result = resolveEgress(snapshot, { destination, resolve });
    const sourceIds: string[] = [];
    const sourceNames: string[] = [];
    for (const text of sources) {
      const hits = result.paths.filter((p) => sourceMatches(p, text));
      if (hits.length === 0) throw new UsageError(`--source "${text}" matches no subnet or NIC`);
      for (const hit of hits) {
        if (sourceIds.includes(hit.source.id)) continue;
        sourceIds.push(hit.source.id);
        sourceNames.push(hit.source.name);
      }
    }
    const graph: EgressGraph = sourceIds.length > 0
      ? buildEgressGraph(snapshot.model, result, { kind: 'path', sourceIds })
      : view !== null ? buildEgressGraph(snapshot.model, result, { kind: view }) : buildDefaultGraph(snapshot.model, result).graph;
    const meta = diagramMeta(snapshot, { destination, sources: sourceNames, exportedAt: exportedAt.toISOString() });

    let text: string;
    let png: { readonly png: Uint8Array; readonly width: number; readonly height: number; readonly scale: number } | null = null;
    if (format === 'mermaid') {
      text = toMermaid(graph, meta);
      const problem = mermaidLimitProblem(text, graph.edges.length);
      // Still written (a wiki may raise the limits), but GitHub would show an error instead of the diagram.
      if (problem !== null) io.stderr(`warning: ${problem}: GitHub will not render it; ${narrowingAdvice(graph.view.kind)}\n`);
    } else {
      const engine = result.paths.length > QUICK_LAYOUT_ABOVE_PATHS ? 'quick' : 'auto';
      // ELK (1.5 MB) loads only when a diagram is drawn: every other command starts without it.
      const { layoutEgressGraph } = await import('../../../shared/graph/layout');
      // Laid out with the texts the exports draw (verdict words, collision qualifiers), so boxes fit them.
      const layout = await layoutEgressGraph(exportGraph(graph), { ...EXPORT_LAYOUT_OPTIONS, engine });
      text = format === 'drawio' ? toDrawio(graph, layout, meta) : toSvg(graph, layout, meta, { theme });
      if (format === 'png') {
        // resvg (WebAssembly, 2.5 MB) loads only for a PNG.
        const { svgToPng } = await import('../../evidence/svg-to-png');
        png = await svgToPng(text, { scale, background: theme === 'dark' ? '#0d1117' : '#ffffff' });
      }
    }
    const file = outFile(out);
    if (file === undefined) {
      io.stdout(text);
      return 0;
    }
    const target = isAbsolute(file) ? file : resolvePath(io.cwd, file);
    if (png !== null) await writeFile(target, png.png);
    else await writeFile(target, text, 'utf8');
    const kind = graph.view.kind === 'path' ? `${sourceIds.length} source(s)` : `${graph.view.kind} view`;
    const pixels = png === null ? '' : `, ${png.width}×${png.height} px at ${Number(png.scale.toFixed(2))}x`;
    io.stderr(wroteLine(`${out} (${format}${pixels}, ${kind}: ${graph.nodes.length} nodes, ${graph.edges.length} edges; snapshot ${snapshot.sha256.slice(0, 12)})`));
    return 0;
  },
};
