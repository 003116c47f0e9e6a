/**
 * The check result for machines: SARIF 2.1.0 (GitHub code scanning) and JUnit XML (Azure
 * Pipelines, Jenkins, GitLab). Pure string builders, so the CLI, the app and tests share them.
 *
 * SARIF: one rule per control, one result per violation (error for deny, warning for audit), each
 * located at the control's line in the policy file because network resources are not files; the
 * source's resource ID is the logical location. Waived violations are results with an accepted
 * suppression, so code scanning shows them as dismissed instead of losing them. A control that
 * judged nothing (no source in scope, no metrics) is a tool configuration notification at its
 * line, and so is a scope entry that selects no source: a typo in a scope must not read as a clean
 * run. What the input did not read (a 403 on a subscription) is a tool execution notification,
 * one per gap, and one per control whose scope may include it: the run saw only part of the estate.
 */
import type { GapCode } from '../model/gaps';
import type { CheckGap, CheckResult, CheckSource, ControlResult, Effect, Violation } from './types';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  /**
   * The policy file as a URI reference (SARIF 2.1.0 §3.10.2): relative to the repository root,
   * forward slashes, percent-encoded (RFC 3986: a space is %20, `#` is %23, else it starts a fragment).
   */
  readonly policyUri: string;
  /** The policy file as people read it, in message texts (default: policyUri). */
  readonly policyName?: string;
  readonly toolVersion: string;
  readonly informationUri?: string;
}

/** The SARIF subset this tool writes (every field is SARIF 2.1.0; the schema test validates it). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly invocations: readonly SarifInvocation[];
  readonly results: readonly SarifResult[];
}

interface SarifText { readonly text: string }

export interface SarifDriver {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
  readonly rules: readonly SarifRule[];
  /**
   * SARIF 2.1.0 §3.19.24: the descriptors of the notifications the run writes, one per gap code
   * used (a gap notification's `descriptor` refers to one by id and index, §3.52). Absent when the
   * input read everything.
   */
  readonly notifications?: readonly SarifNotificationDescriptor[];
}

/** A reportingDescriptor (§3.49) describing one kind of notification: a gap code. */
export interface SarifNotificationDescriptor {
  readonly id: string;
  readonly shortDescription: SarifText;
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifText;
  readonly fullDescription: SarifText;
  readonly help: SarifText;
  readonly defaultConfiguration: { readonly level: SarifLevel; readonly enabled: boolean };
  readonly properties: { readonly tags: readonly string[]; readonly precision: 'high'; readonly effect: Effect };
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

interface SarifLocation {
  readonly physicalLocation: { readonly artifactLocation: { readonly uri: string }; readonly region: { readonly startLine: number } };
  readonly logicalLocations?: readonly { readonly name: string; readonly fullyQualifiedName: string; readonly kind: string }[];
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifText;
  readonly locations: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: readonly { readonly kind: 'external'; readonly status: 'accepted'; readonly justification: string }[];
  readonly properties: Readonly<Record<string, string | null>>;
}

export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: SarifText;
  /** Absent for a gap: it is about the estate, not a place in the policy file. */
  readonly locations?: readonly SarifLocation[];
  /**
   * What kind of notification it is (a gap's code: `access-denied`), as SARIF 2.1.0 §3.58.6
   * references a descriptor: by id and index into the driver's `notifications`.
   */
  readonly descriptor?: { readonly id: string; readonly index: number };
  /** The control (rule) it is about, when it is about one. */
  readonly associatedRule?: { readonly id: string; readonly index: number };
}

interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly toolConfigurationNotifications: readonly SarifNotification[];
  /** SARIF 2.1.0 §3.20.21: problems while the tool ran; here, what the input did not read. Absent when it read everything. */
  readonly toolExecutionNotifications?: readonly SarifNotification[];
}

const FINGERPRINT_KEY = 'egressAtlas/v1';

/**
 * A stable fingerprint: FNV-1a over (control, source, requirement, subject, and for mayReach the
 * protocols and ports), two 32-bit lanes. The reason's wording is left out on purpose, so
 * rewording a message does not reopen every alert.
 */
export function fingerprint(parts: readonly string[]): string {
  const text = parts.join('\u0000');
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** What identifies a violation (or a waived one) among the others of its control. */
function fingerprintOf(control: string, source: CheckSource, v: { readonly requirement: string; readonly subject: string | null; readonly ports?: readonly string[]; readonly protocols?: readonly string[] }): string {
  // Without ports the parts are those of results written before they were added: alerts keep their identity.
  const flow = v.ports && v.protocols ? [v.protocols.join('/'), v.ports.join(',')] : [];
  return fingerprint([control, source.id, v.requirement, v.subject ?? '', ...flow]);
}

function level(effect: Effect): SarifLevel {
  return effect === 'deny' ? 'error' : effect === 'audit' ? 'warning' : 'none';
}

function location(uri: string, line: number, source: CheckSource | null): SarifLocation {
  return {
    physicalLocation: { artifactLocation: { uri }, region: { startLine: Math.max(1, line) } },
    ...(source ? { logicalLocations: [{ name: source.name, fullyQualifiedName: source.id, kind: 'resource' }] } : {}),
  };
}

function ruleName(id: string): string {
  return id.split(/[-_.]/).filter((p) => p !== '').map((p) => p[0]?.toUpperCase() + p.slice(1)).join('');
}

export function toSarif(result: CheckResult, options: SarifOptions): SarifLog {
  const rules = result.controls.map((c): SarifRule => ({
    id: c.id,
    name: ruleName(c.id),
    shortDescription: { text: c.title },
    fullDescription: { text: `${c.title} (policy control ${c.id}, effect ${c.effect}).` },
    help: { text: `Each result is a source (subnet or NIC) that breaks this control; the message says why, and egress-atlas resolve --source <name> --explain shows the path hop by hop. Fix the network, or add a time-boxed exception to the control in ${options.policyName ?? options.policyUri}.` },
    defaultConfiguration: { level: level(c.effect), enabled: c.effect !== 'disabled' },
    properties: { tags: ['egress', 'network', 'azure'], precision: 'high', effect: c.effect },
  }));
  const results: SarifResult[] = [];
  result.controls.forEach((c, ruleIndex) => {
    for (const v of c.violations) {
      results.push({
        ruleId: c.id, ruleIndex, level: level(c.effect),
        message: { text: `${v.source.name}: ${v.reason}` },
        locations: [location(options.policyUri, c.line, v.source)],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(c.id, v.source, v) },
        properties: { requirement: v.requirement, subject: v.subject, verdict: v.path.verdict, exit: v.path.exit, sourceType: v.source.type },
      });
    }
    for (const applied of c.exceptionsApplied) {
      for (const w of applied.waived) {
        const e = applied.exception;
        results.push({
          ruleId: c.id, ruleIndex, level: level(c.effect),
          message: { text: `${applied.source.name}: ${w.reason}` },
          locations: [location(options.policyUri, c.line, applied.source)],
          partialFingerprints: { [FINGERPRINT_KEY]: fingerprintOf(c.id, applied.source, w) },
          suppressions: [{ kind: 'external', status: 'accepted', justification: `${e.reason}${e.ticket ? ` (${e.ticket})` : ''}, until ${e.expires}` }],
          properties: { requirement: w.requirement, subject: w.subject, sourceType: applied.source.type },
        });
      }
    }
  });
  const expired = result.controls.flatMap((c): SarifNotification[] => c.exceptionsExpired.map((e) => ({
    level: 'error', message: { text: e.message }, locations: [location(options.policyUri, e.exception.line, null)],
  })));
  // An enabled control that judged nothing has no result at all: without this, a scope that
  // matches nothing (a typo in a glob) would look like a clean run on the Security tab.
  const notApplicable = result.controls.flatMap((c, index): SarifNotification[] => (c.status !== 'not-applicable' || c.effect === 'disabled' ? [] : [{
    level: c.effect === 'deny' ? 'warning' : 'note',
    message: { text: `${options.policyName ?? options.policyUri}:${c.line}: control ${c.id} is not applicable, nothing was checked: ${c.notes.join('; ') || 'no source was judged'}` },
    locations: [location(options.policyUri, c.line, null)],
    associatedRule: { id: c.id, index },
  }]));
  // Every list is ANDed: a typo next to real names narrows the scope without failing anything.
  const unmatched = result.controls.flatMap((c, index): SarifNotification[] => (c.unmatchedScope ?? []).map((u) => ({
    level: c.effect === 'deny' ? 'warning' : 'note',
    message: { text: unmatchedScopeText(options.policyName ?? options.policyUri, c, u) },
    locations: [location(options.policyUri, c.line, null)],
    associatedRule: { id: c.id, index },
  })));
  const notifications = [...expired, ...notApplicable, ...unmatched];
  // A gap is a problem of the run, not of the policy (§3.20.21 toolExecutionNotifications), at
  // warning: the run completed, but on part of the estate, so no result speaks for the rest.
  const gaps = result.gaps ?? [];
  // One descriptor per code used, in the order codes first appear: each notification refers to its own.
  const codes = [...new Set(gaps.map((g) => g.code))];
  const descriptors = codes.map((code): SarifNotificationDescriptor => ({ id: code, shortDescription: { text: GAP_DESCRIPTIONS[code] } }));
  const unread = gaps.map((g): SarifNotification => ({
    level: 'warning', descriptor: { id: g.code, index: codes.indexOf(g.code) }, message: { text: `${gapText(g)} No control was judged there.` },
  }));
  const partial = result.controls.flatMap((c, index): SarifNotification[] => (c.notRead && c.notRead.length > 0 && c.effect !== 'disabled' ? [{
    level: c.effect === 'deny' ? 'warning' : 'note',
    message: { text: `${options.policyName ?? options.policyUri}:${c.line}: control ${c.id} (${c.status}) was not judged where the input was not read: ${c.notRead.map((g) => `${g.scope} (${g.code})`).join(', ')}` },
    locations: [location(options.policyUri, c.line, null)],
    associatedRule: { id: c.id, index },
  }] : []));
  const execution = [...unread, ...partial];
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'egress-atlas', version: options.toolVersion, ...(options.informationUri ? { informationUri: options.informationUri } : {}), rules, ...(descriptors.length > 0 ? { notifications: descriptors } : {}) } },
      invocations: [{ executionSuccessful: true, toolConfigurationNotifications: notifications, ...(execution.length > 0 ? { toolExecutionNotifications: execution } : {}) }],
      results,
    }],
  };
}

/** What each gap code means, for the SARIF notification descriptors (shared/model/gaps.ts). */
const GAP_DESCRIPTIONS: Readonly<Record<GapCode, string>> = {
  'unsupported-resource-type': 'A resource type the model does not understand was ignored.',
  'access-denied': 'Azure refused the read (401 or 403): what is behind it was not read.',
  'throttled': 'Azure throttled the read (429) beyond its retries: what is behind it was not read.',
  'timeout': 'A request or long-running operation did not finish: what it lists was not read.',
  'request-failed': 'A read failed or was incomplete: what it lists was not read.',
  'effective-routes-unavailable': 'Effective routes could not be read: routes are computed from configuration.',
  'metrics-unavailable': 'Metrics could not be read.',
  'missing-reference': 'A resource references one the input does not hold.',
  'skipped-input': 'A file, page or resource of the input was left out: what it holds was not read.',
  'not-modelled': 'Something the input holds is not modelled.',
};

/** `/subscriptions/… was not read (access-denied): Subscription … answered 403 …`: one gap, in every format. */
export function gapText(gap: CheckGap): string {
  return `${gap.scope} was not read (${gap.code}): ${gap.message}`;
}

/** `policy.yaml:12: control c: scope.subnets entry "snet-card-auht" matches no source in the input`. */
export function unmatchedScopeText(policy: string, control: Pick<ControlResult, 'id' | 'line'>, entry: { readonly list: string; readonly entry: string }): string {
  return `${policy}:${control.line}: control ${control.id}: scope.${entry.list} entry "${entry.entry}" matches no source in the input (a typo? the other entries still apply)`;
}

// ---- JUnit XML --------------------------------------------------------------------------------

/** Escapes text for XML 1.0 attributes and content, dropping the characters XML 1.0 cannot carry at all. */
export function xmlEscape(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `vnet-payments-api-weu/snet-payments-reporting` for a subnet (names repeat across VNets); the NIC's name otherwise. */
export function sourceLabel(source: CheckSource): string {
  if (source.type !== 'subnet') return source.name;
  const vnet = /\/virtualnetworks\/([^/]+)\/subnets\//i.exec(source.id)?.[1];
  return vnet ? `${vnet}/${source.name}` : source.name;
}

function failureBody(violations: readonly Violation[]): string {
  return violations.map((v) => [
    `${v.requirement}: ${v.reason}`,
    ...v.path.hops.map((h, i) => `  ${i + 1}. ${h.kind}: ${h.rule}`),
  ].join('\n')).join('\n\n');
}

function controlSuite(c: ControlResult, sources: ReadonlyMap<string, CheckSource>, policy: string, timestamp: string, gaps: readonly CheckGap[]): { xml: string; tests: number; failures: number; skipped: number } {
  const property = (name: string, value: string): string => `      <property name="${name}" value="${xmlEscape(value)}"/>\n`;
  const props = `    <properties>\n${property('effect', c.effect)}${property('status', c.status)}${property('policy', `${policy}:${c.line}`)}`
    + `${(c.notRead ?? []).map((g) => property('not-read', `${g.scope} (${g.code})`)).join('')}`
    + `${(c.unmatchedScope ?? []).map((u) => property('unmatched-scope', `scope.${u.list}: ${u.entry}`)).join('')}    </properties>\n`;
  const classname = xmlEscape(`egress-atlas.${c.id}`);
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  if (c.inScope.length === 0) {
    skipped = 1;
    cases.push(`    <testcase classname="${classname}" name="${xmlEscape(c.id)}" time="0">\n      <skipped message="${xmlEscape(c.notes.join('; ') || 'not applicable')}"/>\n    </testcase>\n`);
  }
  const bySource = new Map<string, Violation[]>();
  for (const v of c.violations) bySource.set(v.source.id, [...(bySource.get(v.source.id) ?? []), v]);
  const notJudged = new Set(c.notJudged ?? []);
  for (const id of c.inScope) {
    const source = sources.get(id) ?? { type: 'subnet' as const, id, name: id };
    const name = xmlEscape(sourceLabel(source));
    const violations = bySource.get(id) ?? [];
    const waived = c.exceptionsApplied.filter((a) => a.source.id === id);
    const out = waived.length > 0
      ? `      <system-out>${xmlEscape(waived.map((a) => `waived by exception (line ${a.exception.line}${a.exception.ticket ? `, ${a.exception.ticket}` : ''}, until ${a.exception.expires}): ${a.waived.map((w) => w.reason).join('; ')}`).join('\n'))}</system-out>\n`
      : '';
    if (violations.length === 0 && (c.status === 'not-applicable' || notJudged.has(id))) {
      // Nothing was judged for this source (no metric on its path, no metrics at all): a skip,
      // never a pass CI could count.
      skipped += 1;
      cases.push(`    <testcase classname="${classname}" name="${name}" time="0">\n      <skipped message="${xmlEscape(c.notes.join('; ') || 'not applicable')}"/>\n${out}    </testcase>\n`);
      continue;
    }
    if (violations.length === 0) {
      cases.push(out === '' ? `    <testcase classname="${classname}" name="${name}" time="0"/>\n` : `    <testcase classname="${classname}" name="${name}" time="0">\n${out}    </testcase>\n`);
      continue;
    }
    failures += 1;
    const first = violations[0]?.reason ?? '';
    cases.push(`    <testcase classname="${classname}" name="${name}" time="0">\n      <failure message="${xmlEscape(first)}" type="${c.effect}">${xmlEscape(failureBody(violations))}</failure>\n${out}    </testcase>\n`);
  }
  // What was not read and may be in scope: judged as nothing, so skipped (never a pass CI could
  // count, and no failure invented for what nobody saw).
  const named = new Map<string, number>();
  for (const g of c.notRead ?? []) {
    skipped += 1;
    // The code in the name: two gaps on one scope (a 403, then a timeout) are two distinct cases;
    // two of one code there (different messages) are numbered.
    const base = `not read: ${g.scope} (${g.code})`;
    const n = (named.get(base) ?? 0) + 1;
    named.set(base, n);
    cases.push(`    <testcase classname="${classname}" name="${xmlEscape(n > 1 ? `${base} #${n}` : base)}" time="0">\n      <skipped message="${xmlEscape(`not judged: ${gapText(g)}`)}"/>\n    </testcase>\n`);
  }
  // Every gap of the input in every suite: a reader of one suite learns what none of them saw.
  const err = gaps.length > 0 ? `    <system-err>${xmlEscape(`The input did not read part of the estate; this control holds only for what was read:\n${gaps.map(gapText).join('\n')}`)}</system-err>\n` : '';
  const tests = cases.length;
  const xml = `  <testsuite name="${xmlEscape(`${c.id}: ${c.title}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0" timestamp="${timestamp}">\n${props}${cases.join('')}${err}  </testsuite>\n`;
  return { xml, tests, failures, skipped };
}

/**
 * One testsuite per control, one testcase per (control, source in scope); a failure carries the
 * reasons and the path. Audit failures are failures too (type="audit"): the report shows them, and
 * the exit code, not the test count, decides whether the pipeline stops.
 */
export function toJunit(result: CheckResult): string {
  const sources = new Map(result.sources.map((s) => [s.id, s]));
  const timestamp = result.evaluatedAt.slice(0, 19);
  const suites = result.controls.map((c) => controlSuite(c, sources, result.policy, timestamp, result.gaps ?? []));
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const skipped = suites.reduce((n, s) => n + s.skipped, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="egress-atlas check" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">\n${suites.map((s) => s.xml).join('')}</testsuites>\n`;
}
