/**
 * Reads a policy file (YAML or JSON: JSON is read by the same YAML parser, so both keep line
 * numbers). Every mistake is reported, not only the first, each naming the file, the line and the
 * field, because a policy is edited in a pull request and fixed in one go. Walking the YAML nodes
 * (instead of converting to plain objects first) is what keeps each value's line.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode, Scalar } from 'yaml';
import { parseDestinationSpec } from '../egress/destination-spec';
import { EXITS, VERDICTS } from '../egress/types';
import type { ExitMethod, Verdict } from '../egress/types';
import { InputError } from '../model/errors';
import { parseUtcDay, parseZonedDateTime } from '../model/dates';
import { formatIp, parseCidr } from '../model/ip';
import type { Cidr } from '../model/ip';
import { lineNestedDeeperThan, MAX_POLICY_NESTING } from './depth';
import { compileGlob } from './glob';
import { EFFECTS, POLICY_VERSION, REQUIREMENT_KINDS } from './types';
import type { Control, Effect, Policy, PolicyDestination, PolicyException, ReachPattern, Requirement, RequirementKind, Scope, Selector } from './types';

export interface PolicyIssue {
  readonly file: string;
  /** 1-based; 0 when the file is empty. */
  readonly line: number;
  /** `controls[0].scope.subnets[1]`, or `(file)` for document-level problems. */
  readonly field: string;
  readonly message: string;
}

export function formatIssue(issue: PolicyIssue): string {
  // The document itself has no field name: `(file)`, as for the other document-level problems.
  return `${issue.file}:${issue.line}: ${issue.field === '' ? '(file)' : issue.field}: ${issue.message}`;
}

/** A policy that cannot be used: exit 2 in the CLI (it is an InputError), with every issue listed. */
export class PolicyError extends InputError {
  readonly issues: readonly PolicyIssue[];
  constructor(issues: readonly PolicyIssue[]) {
    const first = issues[0] ?? { file: '(policy)', line: 0, field: '(file)', message: 'invalid policy' };
    super(first.file, `line ${first.line}: ${first.field}`, first.message);
    this.issues = issues;
    // One line per issue: the CLI prints the message as is.
    this.message = issues.map(formatIssue).join('\n');
  }
}

export type PolicyParse =
  | { readonly kind: 'ok'; readonly policy: Policy }
  | { readonly kind: 'error'; readonly issues: readonly PolicyIssue[] };

const TOP_KEYS = ['$schema', 'version', 'description', 'controls'] as const;
const CONTROL_KEYS: readonly string[] = ['id', 'title', 'description', 'effect', 'scope', 'exceptions', ...REQUIREMENT_KINDS];
const SCOPE_KEYS = ['subscriptions', 'resourceGroups', 'vnets', 'subnets', 'tags', 'includePlatform'] as const;
const EXCEPTION_KEYS = ['source', 'reason', 'ticket', 'expires'] as const;
const CONTROL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Edit distance, for "did you mean" on unknown keys (a typo in a requirement name must not pass silently). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

function suggestion(key: string, allowed: readonly string[]): string {
  const best = [...allowed].sort((x, y) => distance(key, x) - distance(key, y))[0];
  return best !== undefined && distance(key, best) <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

interface Entry {
  readonly key: string;
  readonly node: YamlNode | null;
  readonly line: number;
}

class Reader {
  readonly issues: PolicyIssue[] = [];
  constructor(readonly file: string, private readonly lines: LineCounter) {}

  lineAt(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  lineOf(node: YamlNode | null | undefined, fallback: number): number {
    const range = node?.range;
    return range ? this.lineAt(range[0]) : fallback;
  }

  fail(line: number, field: string, message: string): null {
    this.issues.push({ file: this.file, line, field, message });
    return null;
  }

  /** A mapping with only the allowed keys (unknown keys are errors: a misspelt requirement would otherwise never be checked). */
  map(node: YamlNode | null, line: number, field: string, allowed: readonly string[]): ReadonlyMap<string, Entry> | null {
    if (isAlias(node)) return this.fail(this.lineOf(node, line), field, 'YAML aliases are not supported in policy files');
    if (!isMap(node)) return this.fail(this.lineOf(node, line), field, `expected a mapping (key: value), found ${describe(node)}`);
    const out = new Map<string, Entry>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const keyLine = this.lineOf(keyNode, this.lineOf(node, line));
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
        this.fail(keyLine, field, `keys must be strings, found ${describe(keyNode)}`);
        continue;
      }
      const key = keyNode.value;
      const at = field === '' ? key : `${field}.${key}`;
      if (!allowed.includes(key)) {
        this.fail(keyLine, at, `unknown key "${key}"${suggestion(key, allowed)}; allowed here: ${allowed.join(', ')}`);
        continue;
      }
      out.set(key, { key, node: pair.value as YamlNode | null, line: keyLine });
    }
    return out;
  }

  list(entry: Entry, field: string): readonly { readonly node: YamlNode | null; readonly line: number; readonly field: string }[] | null {
    const { node } = entry;
    if (isAlias(node)) return this.fail(this.lineOf(node, entry.line), field, 'YAML aliases are not supported in policy files');
    if (!isSeq(node)) return this.fail(this.lineOf(node, entry.line), field, `expected a list, found ${describe(node)}`);
    return node.items.map((item, i) => ({ node: item as YamlNode | null, line: this.lineOf(item as YamlNode | null, this.lineOf(node, entry.line)), field: `${field}[${i}]` }));
  }

  string(node: YamlNode | null, line: number, field: string, options: { readonly allowNumber?: boolean } = {}): string | null {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    // A number where text is meant (a tag value, a ticket) is the text as written: YAML reads
    // `0042` as 42 and `1.50` as 1.5, which would match a different tag value.
    if (options.allowNumber && isScalar(node) && typeof node.value === 'number') return scalarText(node);
    return this.fail(this.lineOf(node, line), field, `expected a string, found ${describe(node)}`);
  }

  stringList(entry: Entry, field: string): readonly { readonly text: string; readonly line: number; readonly field: string }[] | null {
    const items = this.list(entry, field);
    if (!items) return null;
    const out: { text: string; line: number; field: string }[] = [];
    for (const item of items) {
      const text = this.string(item.node, item.line, item.field, { allowNumber: true });
      if (text !== null) out.push({ text, line: item.line, field: item.field });
    }
    return out;
  }
}

/** A scalar's text as written in the file (plain scalars keep it), else its value as text. */
function scalarText(node: Scalar): string {
  return typeof node.source === 'string' && node.source !== '' ? node.source : String(node.value);
}

function describe(node: YamlNode | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (isScalar(node)) {
    const v: unknown = node.value;
    if (v === null) return 'null';
    if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
    return `${typeof v} ${String(v)}`;
  }
  return 'a value';
}

function selectors(reader: Reader, entry: Entry | undefined, field: string): readonly Selector[] {
  if (!entry) return [];
  const out: Selector[] = [];
  for (const item of reader.stringList(entry, field) ?? []) {
    const parsed = compileGlob(item.text);
    if (parsed.kind === 'error') reader.fail(item.line, item.field, parsed.message);
    else out.push(parsed.selector);
  }
  return out;
}

function readScope(reader: Reader, entry: Entry | undefined, field: string): Scope {
  const empty: Scope = { subscriptions: [], resourceGroups: [], vnets: [], subnets: [], tags: [], includePlatform: false };
  if (!entry) return empty;
  const map = reader.map(entry.node, entry.line, field, SCOPE_KEYS);
  if (!map) return empty;
  const tags: { key: string; value: Selector }[] = [];
  const tagEntry = map.get('tags');
  if (tagEntry && !isMap(tagEntry.node)) reader.fail(reader.lineOf(tagEntry.node, tagEntry.line), `${field}.tags`, `expected a mapping of tag name to value, found ${describe(tagEntry.node)}`);
  // Tag names are free-form, so the pairs are read directly rather than through an allow-list.
  if (tagEntry && isMap(tagEntry.node)) {
    for (const pair of tagEntry.node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keyLine = reader.lineOf(keyNode, tagEntry.line);
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        reader.fail(keyLine, `${field}.tags`, `tag names must be strings, found ${describe(keyNode)}`);
        continue;
      }
      const key = typeof keyNode.value === 'number' ? scalarText(keyNode) : String(keyNode.value);
      const value = reader.string(pair.value as YamlNode | null, keyLine, `${field}.tags.${key}`, { allowNumber: true });
      if (value === null) continue;
      // A tag value is text, not a name or an ID: its `*` may match a `/` in it.
      const glob = compileGlob(value, 'value');
      if (glob.kind === 'error') reader.fail(keyLine, `${field}.tags.${key}`, glob.message);
      else tags.push({ key, value: glob.selector });
    }
  }
  let includePlatform = false;
  const platform = map.get('includePlatform');
  if (platform) {
    if (isScalar(platform.node) && typeof platform.node.value === 'boolean') includePlatform = platform.node.value;
    else reader.fail(platform.line, `${field}.includePlatform`, `expected true or false, found ${describe(platform.node)}`);
  }
  return {
    subscriptions: selectors(reader, map.get('subscriptions'), `${field}.subscriptions`),
    resourceGroups: selectors(reader, map.get('resourceGroups'), `${field}.resourceGroups`),
    vnets: selectors(reader, map.get('vnets'), `${field}.vnets`),
    subnets: selectors(reader, map.get('subnets'), `${field}.subnets`),
    tags, includePlatform,
  };
}

function enumList<T extends string>(reader: Reader, entry: Entry, field: string, allowed: readonly T[], what: string): readonly T[] {
  const out: T[] = [];
  for (const item of reader.stringList(entry, field) ?? []) {
    const match = allowed.find((a) => a === item.text.trim().toLowerCase());
    if (match === undefined) reader.fail(item.line, item.field, `"${item.text}" is not ${what}; expected one of: ${allowed.join(', ')}`);
    else out.push(match);
  }
  return out;
}

/** A destination that is resolved (mustReach, mustNotReach, privateOnly): one concrete thing, no wildcard. */
function destinations(reader: Reader, entry: Entry, field: string): readonly PolicyDestination[] {
  const out: PolicyDestination[] = [];
  for (const item of reader.stringList(entry, field) ?? []) {
    if (item.text.trim().startsWith('*')) {
      reader.fail(item.line, item.field, `"${item.text}": a wildcard cannot be resolved; name a host (wildcards belong in mayReach)`);
      continue;
    }
    const parsed = parseDestinationSpec(item.text);
    if (parsed.kind === 'error') reader.fail(item.line, item.field, parsed.message);
    else if (parsed.spec.target.kind === 'default-route') reader.fail(item.line, item.field, `"${item.text}" is the whole internet; use forbidVerdicts / requireVerdicts for the default route`);
    else out.push({ spec: parsed.spec });
  }
  return out;
}

/** Whether the text names its own port: parsing it with two different default ports tells. */
function explicitPort(text: string): number | null {
  const a = parseDestinationSpec(text, { port: 1 });
  const b = parseDestinationSpec(text, { port: 2 });
  return a.kind === 'ok' && b.kind === 'ok' && a.spec.port === b.spec.port ? a.spec.port : null;
}

/**
 * Whether the text names its own protocol (`/tcp`, `/udp`), told the same way. policy.schema.json:
 * a destination is "optionally with :port and /tcp or /udp"; without a suffix a pattern allows both.
 */
function explicitProtocol(text: string): 'Tcp' | 'Udp' | null {
  const a = parseDestinationSpec(text, { protocol: 'Tcp' });
  const b = parseDestinationSpec(text, { protocol: 'Udp' });
  return a.kind === 'ok' && b.kind === 'ok' && a.spec.protocol === b.spec.protocol ? a.spec.protocol : null;
}

const DOMAIN = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;
const WILDCARD = /^\*([^:/]*)(?::(\d+))?(?:\/(tcp|udp))?$/i;

function reachPattern(text: string): ReachPattern | string {
  const t = text.trim();
  const wild = WILDCARD.exec(t);
  if (wild) {
    const tail = (wild[1] ?? '').toLowerCase();
    const port = wild[2] === undefined ? null : Number(wild[2]);
    const protocol = wild[3] === undefined ? null : wild[3].toLowerCase() === 'udp' ? 'Udp' : 'Tcp';
    if (port !== null && (port < 1 || port > 65535)) return `"${t}": port ${port} is outside 1-65535`;
    if (tail === '') return port === null ? { kind: 'any', text: t, port: null, protocol } : `"${t}": give a host pattern with the port (like *.example.com:443)`;
    const host = tail.replace(/^\./, '');
    // One label is enough after a wildcard (`*.com`), unlike a host name to resolve.
    if (!DOMAIN.test(host)) return `"${t}": "${host}" after the * is not a domain name (like *.riskapi.example)`;
    return { kind: 'fqdn', pattern: `*${tail}`, text: t, port, protocol };
  }
  if (t.includes('*')) return `"${t}": * is only allowed at the start of a host pattern (*.example.com), as in Azure Firewall rules`;
  const parsed = parseDestinationSpec(t);
  if (parsed.kind === 'error') return parsed.message;
  const port = explicitPort(t);
  const protocol = explicitProtocol(t);
  const target = parsed.spec.target;
  switch (target.kind) {
    // `0.0.0.0/0:443` is any destination on port 443 only (policy.schema.json reachPattern: "without
    // a port any port is allowed", so with one only that port is), never the whole internet.
    case 'default-route': return { kind: 'any', text: t, port, protocol };
    case 'address': {
      const cidr = parseCidr(formatIp(target.ip));
      return cidr ? { kind: 'cidr', cidr, text: t, port, protocol } : `"${t}": cannot read the address`;
    }
    case 'cidr': return { kind: 'cidr', cidr: target.cidr, text: t, port, protocol };
    case 'fqdn': return { kind: 'fqdn', pattern: target.name, text: t, port, protocol };
    case 'service-tag': return { kind: 'service-tag', tag: target.tag, text: t, port, protocol };
  }
}

function readRequirement(reader: Reader, kind: RequirementKind, entry: Entry, field: string): Requirement | null {
  const line = entry.line;
  // An empty list would require nothing and pass forever: almost certainly an editing slip.
  if (isSeq(entry.node) && entry.node.items.length === 0) return reader.fail(line, field, 'the list is empty: it requires nothing');
  switch (kind) {
    case 'forbidExits':
      return { kind, line, exits: enumList(reader, entry, field, Object.keys(EXITS) as ExitMethod[], 'an exit') };
    case 'forbidVerdicts':
    case 'requireVerdicts':
      return { kind, line, verdicts: enumList(reader, entry, field, Object.keys(VERDICTS) as Verdict[], 'a verdict') };
    case 'requireVia':
      return { kind, line, via: selectors(reader, entry, field) };
    case 'egressIpsWithin': {
      const cidrs: Cidr[] = [];
      const texts: string[] = [];
      for (const item of reader.stringList(entry, field) ?? []) {
        const cidr = parseCidr(item.text);
        if (!cidr) reader.fail(item.line, item.field, `"${item.text}" is not a CIDR or IP address (like 20.61.14.0/24)`);
        else {
          cidrs.push(cidr);
          texts.push(item.text.trim());
        }
      }
      return { kind, line, cidrs, texts };
    }
    case 'mayReach': {
      const patterns: ReachPattern[] = [];
      for (const item of reader.stringList(entry, field) ?? []) {
        const parsed = reachPattern(item.text);
        if (typeof parsed === 'string') reader.fail(item.line, item.field, parsed);
        else patterns.push(parsed);
      }
      return { kind, line, patterns };
    }
    case 'mustReach':
    case 'mustNotReach':
    case 'privateOnly':
      return { kind, line, destinations: destinations(reader, entry, field) };
    case 'maxSnatUtilisation': {
      const node = entry.node;
      if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value) || node.value < 0 || node.value > 100) {
        return reader.fail(line, field, `expected a percentage from 0 to 100, found ${describe(node)}`);
      }
      return { kind, line, percent: node.value };
    }
  }
}

// One strict date reader for the policy, --now, --since and --timestamp (shared/model/dates.ts):
// re-exported here, where check and the policy index have always found them.
export { parseUtcDay, parseZonedDateTime };

/** `YYYY-MM-DD` is valid through that whole day (UTC); a full ISO date-time until that instant. */
function expiryOf(text: string): number | null {
  if (DAY.test(text)) {
    const start = parseUtcDay(text);
    return start === null ? null : start + DAY_MS;
  }
  return parseZonedDateTime(text);
}

function readExceptions(reader: Reader, entry: Entry | undefined, field: string): readonly PolicyException[] {
  if (!entry) return [];
  const out: PolicyException[] = [];
  for (const item of reader.list(entry, field) ?? []) {
    const map = reader.map(item.node, item.line, item.field, EXCEPTION_KEYS);
    if (!map) continue;
    const required = (key: string): Entry | null => map.get(key) ?? reader.fail(item.line, `${item.field}.${key}`, `missing; an exception needs source, reason and expires${key === 'expires' ? ' (waivers are time-boxed)' : ''}`);
    const sourceEntry = required('source');
    const reasonEntry = required('reason');
    const expiresEntry = required('expires');
    const source = sourceEntry ? reader.string(sourceEntry.node, sourceEntry.line, `${item.field}.source`) : null;
    const glob = source === null ? null : compileGlob(source);
    if (glob?.kind === 'error' && sourceEntry) reader.fail(sourceEntry.line, `${item.field}.source`, glob.message);
    const reason = reasonEntry ? reader.string(reasonEntry.node, reasonEntry.line, `${item.field}.reason`) : null;
    if (reason !== null && reason.trim() === '' && reasonEntry) reader.fail(reasonEntry.line, `${item.field}.reason`, 'an exception needs a reason');
    const ticketEntry = map.get('ticket');
    const ticket = ticketEntry ? reader.string(ticketEntry.node, ticketEntry.line, `${item.field}.ticket`, { allowNumber: true }) : null;
    const expires = expiresEntry ? reader.string(expiresEntry.node, expiresEntry.line, `${item.field}.expires`) : null;
    const expiresAt = expires === null ? null : expiryOf(expires.trim());
    if (expires !== null && expiresAt === null && expiresEntry) reader.fail(expiresEntry.line, `${item.field}.expires`, `"${expires}" is not a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone`);
    if (glob?.kind === 'ok' && reason !== null && reason.trim() !== '' && expires !== null && expiresAt !== null) {
      out.push({ source: glob.selector, reason: reason.trim(), ticket: ticket?.trim() || null, expires: expires.trim(), expiresAt, line: item.line, field: item.field });
    }
  }
  return out;
}

function readControl(reader: Reader, node: YamlNode | null, line: number, field: string): Control | null {
  const map = reader.map(node, line, field, CONTROL_KEYS);
  if (!map) return null;
  const idEntry = map.get('id');
  const id = idEntry ? reader.string(idEntry.node, idEntry.line, `${field}.id`) : reader.fail(line, `${field}.id`, 'missing; every control needs an id');
  if (id !== null && !CONTROL_ID.test(id) && idEntry) reader.fail(idEntry.line, `${field}.id`, `"${id}" is not a control id: letters, digits, ".", "_" and "-", starting with a letter or digit (it names SARIF rules and JUnit test cases)`);
  const titleEntry = map.get('title');
  const title = titleEntry ? reader.string(titleEntry.node, titleEntry.line, `${field}.title`) : null;
  const descriptionEntry = map.get('description');
  const description = descriptionEntry ? reader.string(descriptionEntry.node, descriptionEntry.line, `${field}.description`) : null;
  const effectEntry = map.get('effect');
  let effect: Effect | null = null;
  if (!effectEntry) reader.fail(line, `${field}.effect`, `missing; say what a violation does: ${EFFECTS.join(', ')}`);
  else {
    const text = reader.string(effectEntry.node, effectEntry.line, `${field}.effect`);
    effect = EFFECTS.find((e) => e === text?.trim().toLowerCase()) ?? null;
    if (text !== null && effect === null) reader.fail(effectEntry.line, `${field}.effect`, `"${text}" is not an effect; expected one of: ${EFFECTS.join(', ')}`);
  }
  const scope = readScope(reader, map.get('scope'), `${field}.scope`);
  const requirements: Requirement[] = [];
  let requirementKeys = 0;
  for (const [key, entry] of map) {
    const kind = REQUIREMENT_KINDS.find((k) => k === key);
    if (kind === undefined) continue;
    requirementKeys += 1;
    const requirement = readRequirement(reader, kind, entry, `${field}.${key}`);
    if (requirement) requirements.push(requirement);
  }
  if (requirementKeys === 0) reader.fail(line, field, `no requirement: a control needs at least one of ${REQUIREMENT_KINDS.join(', ')}`);
  const exceptions = readExceptions(reader, map.get('exceptions'), `${field}.exceptions`);
  if (id === null || effect === null) return null;
  return { id, title: title?.trim() || id, description: description?.trim() || null, effect, line, scope, requirements, exceptions };
}

/** Parses a policy without throwing: every issue, or the policy. */
export function readPolicy(text: string, fileName: string): PolicyParse {
  // Checked before parsing: the YAML parser recurses once per level and would overflow the stack.
  const deepLine = lineNestedDeeperThan(text, MAX_POLICY_NESTING);
  if (deepLine !== null) {
    return { kind: 'error', issues: [{ file: fileName, line: deepLine, field: '(file)', message: `nested deeper than ${MAX_POLICY_NESTING} levels; a policy nests about 6 (controls, a control, its scope, a list)` }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader = new Reader(fileName, lines);
  for (const error of doc.errors) {
    // The yaml library's wording for a second document advises a programmer (use parseAllDocuments);
    // the person editing the policy needs to know the file must hold one.
    const message = error.code === 'MULTIPLE_DOCS'
      ? 'expected one YAML document, found more than one (a second "---"); put each policy in a file of its own'
      : error.message.split('\n')[0] ?? error.message;
    reader.fail(reader.lineAt(error.pos[0]), '(file)', message);
  }
  if (reader.issues.length > 0) return { kind: 'error', issues: reader.issues };
  const contents = doc.contents as YamlNode | null;
  if (contents === null || (isScalar(contents) && contents.value === null)) {
    return { kind: 'error', issues: [{ file: fileName, line: 1, field: '(file)', message: 'the policy is empty; expected version: 1 and controls' }] };
  }
  const top = reader.map(contents, 1, '', TOP_KEYS);
  if (!top) return { kind: 'error', issues: reader.issues };
  const version = top.get('version');
  if (!version) reader.fail(1, 'version', 'missing; this tool reads version: 1');
  else if (!isScalar(version.node) || version.node.value !== POLICY_VERSION) reader.fail(version.line, 'version', `expected 1, found ${describe(version.node)}`);
  const controlsEntry = top.get('controls');
  const controls: Control[] = [];
  if (!controlsEntry) reader.fail(1, 'controls', 'missing; a policy needs a list of controls');
  else {
    const items = reader.list(controlsEntry, 'controls') ?? [];
    if (items.length === 0 && isSeq(controlsEntry.node)) reader.fail(controlsEntry.line, 'controls', 'the list is empty; a policy needs at least one control');
    const seen = new Map<string, number>();
    for (const item of items) {
      const control = readControl(reader, item.node, item.line, item.field);
      if (!control) continue;
      const first = seen.get(control.id.toLowerCase());
      if (first !== undefined) reader.fail(item.line, `${item.field}.id`, `"${control.id}" is also the id of the control on line ${first}; ids must be unique`);
      seen.set(control.id.toLowerCase(), control.line);
      controls.push(control);
    }
  }
  if (reader.issues.length > 0) return { kind: 'error', issues: reader.issues };
  return { kind: 'ok', policy: { version: POLICY_VERSION, fileName, controls } };
}

/** Parses a policy file (YAML or JSON), or throws a PolicyError naming the file, line and field of every issue. */
export function parsePolicy(text: string, fileName: string): Policy {
  const parsed = readPolicy(text, fileName);
  if (parsed.kind === 'error') throw new PolicyError(parsed.issues);
  return parsed.policy;
}
