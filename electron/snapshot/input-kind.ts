/**
 * What an input file is when it is not the JSON we read, and what to do about it. Users save what
 * a terminal shows: `az … -o table`, `-o yaml`, `-o tsv`, portal CSV exports, two `az` outputs
 * appended with `>>`, `az account show`. Named on the command line, such a file is an error that
 * says what the file looks like and what to export instead; found in a directory, it is skipped
 * with a gap naming it and the reason, and the rest of the directory is read.
 */
import { UNDERSTOOD_TYPES } from '../../shared/arm/index';
import { InputError } from '../../shared/model/errors';
import type { Gap } from '../../shared/model/gaps';
import type { NetworkModel } from '../../shared/model/topology';
import { walkJsonBrackets } from '../../shared/model/nesting';
import { parseJsonText } from './snapshot';

/** The export that works, said in every complaint about a file's format. */
export const EXPORT_ADVICE = 'export with "az … -o json"';

/** Where the first JSON value of `text` ends (index after its closing bracket), or -1. Strings are skipped. */
function firstValueEnd(text: string): number {
  let end = -1;
  walkJsonBrackets(text, (depth, index, opening) => {
    if (opening || depth !== 0) return false;
    end = index + 1;
    return true;
  });
  return end;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const TABLE_RULE = /^\s*-{2,}(\s+-{2,})*\s*$/;
const YAML_LINE = /^(---\s*$|-\s+[\w$@.-]+:(\s|$)|[\w$@.-]+:(\s|$))/;
const POWERSHELL_LIST_LINE = /^[A-Za-z][\w ]*?\s+: /;

/**
 * A short description of a text that did not parse as JSON, e.g. `YAML ("-o yaml" output)`, or
 * null when it looks like nothing in particular (then the JSON parser's own message is clearer).
 */
export function describeNonJson(text: string): string | null {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trim();
  if (trimmed === '') return 'an empty file ("-o none", or the command printed nothing)';
  if (trimmed.startsWith('%PDF')) return 'a PDF document';
  // eslint-disable-next-line no-control-regex -- NUL bytes are how a binary file shows
  if (/\u0000/.test(trimmed.slice(0, 4096))) return 'a binary file';
  if (trimmed.includes('\u001b[')) return 'JSON with terminal colour codes ("-o jsonc" output)';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const end = firstValueEnd(trimmed);
    const rest = end < 0 ? '' : trimmed.slice(end).trim();
    if (end > 0 && isJson(trimmed.slice(0, end)) && (rest.startsWith('{') || rest.startsWith('['))) {
      return 'two or more JSON documents one after the other (outputs appended with ">>"; save each command to its own file)';
    }
    return null;
  }
  if (trimmed.startsWith('<')) return 'HTML or XML';
  const lines = trimmed.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  const [first = '', second = ''] = lines;
  if (TABLE_RULE.test(second)) return 'a table ("-o table" output, or PowerShell\'s default view)';
  if (lines.length > 0 && lines.every((l) => POWERSHELL_LIST_LINE.test(l))) return 'a property list (PowerShell\'s Format-List view)';
  if (lines.some((l) => l.includes('\t'))) return 'tab-separated values ("-o tsv" output)';
  if (YAML_LINE.test(first)) return 'YAML ("-o yaml" output)';
  // A header and rows with as many commas: one line of prose with a comma is not a CSV.
  const commas = (line: string): number => line.split(',').length - 1;
  if (lines.length >= 2 && commas(first) > 0 && commas(first) === commas(second)) return 'comma-separated values (a CSV export)';
  return null;
}

/**
 * The JSON of one input file; null when it is skipped (`skippable`: found in a directory), with a
 * gap saying why. A file named explicitly that is not JSON throws InputError, with what it looks
 * like and what to export instead when that can be told.
 */
export function parseInputJson(name: string, text: string, skippable: boolean, gaps: Gap[]): { readonly json: unknown } | null {
  try {
    return { json: parseJsonText(text, name) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const looks = describeNonJson(text);
    if (skippable) {
      gaps.push({
        code: 'skipped-input', scope: name,
        message: looks === null
          ? `${error.message}. The file was skipped.`
          : `${name} is not JSON: it looks like ${looks}. The file was skipped; ${EXPORT_ADVICE} to include it.`,
      });
      return null;
    }
    if (looks === null) throw error;
    // The whole file is in another format: a parser position inside it would only mislead. For
    // appended documents, where the second one starts is worth saying.
    throw new InputError(name, looks.startsWith('two or more') ? error.path : '$', `JSON (${EXPORT_ADVICE})`, looks);
  }
}

/** Network resources of every kind in a model. */
function resourceCount(model: NetworkModel): number {
  return Object.values(model).reduce((n: number, list: readonly unknown[]) => n + list.length, 0);
}

/**
 * Input that holds no network resource at all (`[]`, a VM, only skipped files) resolves to nothing
 * and would look like a clean estate; it is bad input instead (exit 2), saying what was understood.
 * The message names the inputs as given and, from the gaps, what was skipped or not modelled.
 */
export function assertNetworkResources(model: NetworkModel, inputs: readonly string[], gaps: readonly Gap[]): void {
  if (resourceCount(model) > 0) return;
  const where = inputs.join(', ');
  const skipped = gaps.filter((g) => g.code === 'skipped-input');
  const other = gaps.filter((g) => g.code === 'unsupported-resource-type');
  // With no resource in the model, every missing reference is a child listed on its own whose parent
  // was not exported (a peering list without its VNet): the parent is what the user must add.
  const orphans = gaps.filter((g) => g.code === 'missing-reference');
  const details: string[] = [];
  const firstOrphan = orphans[0];
  if (firstOrphan !== undefined) {
    details.push(`${orphans.length} child resource${orphans.length === 1 ? '' : 's'} whose parent is not in the input: ${firstOrphan.message}${orphans.length > 1 ? ` (and ${orphans.length - 1} more)` : ''} Export the parent resources too`);
  }
  const firstSkipped = skipped[0];
  if (firstSkipped !== undefined) {
    details.push(`${skipped.length} skipped: ${firstSkipped.message}${skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : ''}`);
  }
  if (other.length > 0) details.push(`only other types: ${other.map((g) => `${g.count ?? 1} ${g.scope}`).join(', ')}`);
  const detail = details.length === 0 ? '' : ` (${details.join('; ')})`;
  const understood = `understood types: ${UNDERSTOOD_TYPES.join(', ')} (Microsoft.Network, with their child resources)`;
  const error = new InputError(where, '$', `Azure network resources; ${understood}`, detail === '' ? 'none' : detail.slice(2, -1));
  // One line that says it plainly; file, path and expectation stay on the error for callers.
  error.message = firstOrphan !== undefined
    ? `no Azure network resource could be modelled from ${where}${detail}; ${understood}`
    : `no Azure network resources found in ${where}${detail}; ${understood}`;
  throw error;
}
