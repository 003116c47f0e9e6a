/**
 * Right pane: the guided-tour lesson (trainee mode), the selected resource's details (type, region,
 * addresses, tags) and the hop-by-hop explanation of the selected source's path, with docs links,
 * read-only `az` verify commands, egress IPs, SNAT capacity and findings, and what the source can
 * reach at all ("Can reach"). All text nodes: resource, rule and host names are user data.
 */
import { Fragment, useState, type ReactNode } from 'react';
import { explainPath } from '../../shared/egress/explain';
import { snatPortsText } from '../../shared/egress/outbound';
import {
  endpointsBeyondSubnet, entriesBeyondSubnet, forcedTunnelListedText, nothingListedText, openingEntry, privateEndpointReachText, reachDestinationText, openingExceptions, unrestrictedOn,
} from '../../shared/egress/reach';
import type { PrivateReachEntry, ReachEntry, ReachSource } from '../../shared/egress/reach';
import { EVERY_DESTINATION_EXCEPT, terminalOf } from '../../shared/egress/steps';
import { ANY_PUBLIC_DESTINATION } from '../../shared/egress/types';
import type { EgressPath, Finding, Hop } from '../../shared/egress/types';
import { nameFromResourceId } from '../../shared/model/ids';
import type { NetworkModel } from '../../shared/model/topology';
import { estateFindingsBySource, sourceFindings, type ResourceDetails } from '../state/selectors';
import { badgeFor, badgeTone } from '../state/badges';
import { groupReachEntries, portsText, verdictBadge } from '../state/reach-matrix';
import { CopyButton } from './CopyButton';
import { TourCard, type TourProps } from './TourCard';
import type { ReachView } from './useReach';

const HOP_KIND_LABEL: Readonly<Record<Hop['kind'], string>> = {
  'source': 'Source',
  'dns': 'Name resolution',
  'nsg': 'Network security group',
  'route': 'Route',
  'azure-firewall': 'Azure Firewall',
  'firewall-rule': 'Firewall rule',
  'virtual-appliance': 'Virtual appliance',
  'internal-load-balancer': 'Internal load balancer',
  'virtual-network-gateway': 'Virtual network gateway',
  'virtual-hub': 'Virtual hub',
  'nat-gateway': 'NAT gateway',
  'public-ip': 'Public IP',
  'load-balancer': 'Load balancer',
  'default-outbound': 'Default outbound access',
  'internet': 'Internet',
  'on-premises': 'On-premises',
  'private': 'Delivered privately',
  'drop': 'Path ends',
};

/** `topic` names what the page is about, so the links (and their Copy buttons) have distinct accessible names. */
function DocsLink({ href, topic }: { readonly href: string; readonly topic: string }) {
  // In Electron the shell opens target=_blank links externally (new windows are denied).
  return (
    <>
      <a href={href} target="_blank" rel="noreferrer" aria-label={`Microsoft Learn: ${topic}`}>Microsoft Learn</a>
      <CopyButton text={href} label="Copy link" name={`Copy link to Microsoft Learn: ${topic}`} />
    </>
  );
}

/**
 * A hop's read-only `az` check, collapsed by default (the explanation reads first); <summary> is
 * keyboard-operable as it is. The command and its Copy button are mounted only while open, so a
 * closed one leaves no hidden, nameless control behind.
 */
function VerifyCommand({ command, step }: { readonly command: string; readonly step: number }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="verify-details" data-testid="verify" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Check it with <code>az</code></summary>
      {open ? <div className="verify"><code>{command}</code><CopyButton text={command} name={`Copy check command of hop ${step}`} /></div> : null}
    </details>
  );
}

/**
 * The engine ends an unknown path with a `drop` hop, whose generic label ("Path ends") would read
 * as "dropped" to an auditor: the last hop of an unknown path says it was not decided instead.
 */
export function hopLabel(hop: Hop, isLast: boolean, verdict: EgressPath['verdict']): string {
  return isLast && verdict === 'unknown' && hop.kind === 'drop' ? 'Not decided (unknown)' : HOP_KIND_LABEL[hop.kind];
}

function HopItem({ hop, step, label, undecided }: { readonly hop: Hop; readonly step: number; readonly label: string; readonly undecided: boolean }) {
  return (
    <li className={`hop${undecided ? ' hop-undecided' : ''}`} data-testid="hop" data-step={step} data-hop-kind={hop.kind}>
      <div className="kind">{label}</div>
      <div className="rule">{hop.rule}</div>
      <p>{hop.explanation}</p>
      <div className="links">{hop.docs !== '' ? <DocsLink href={hop.docs} topic={`hop ${step}, ${HOP_KIND_LABEL[hop.kind]}`} /> : null}</div>
      {hop.verify !== '' ? <VerifyCommand command={hop.verify} step={step} /> : null}
    </li>
  );
}

export function FindingItem({ finding }: { readonly finding: Finding }) {
  return (
    <div className="finding" data-testid="finding">
      <span className={`sev sev-${finding.severity}`}>{finding.severity}</span> <strong>{finding.code}</strong>
      <p>{finding.message}</p>
      {finding.advice !== undefined ? <p className="advice">{finding.advice}</p> : null}
      {finding.docs !== undefined ? <div className="links" style={{ marginTop: 4 }}><DocsLink href={finding.docs} topic={finding.code} /></div> : null}
    </div>
  );
}

/**
 * A host name that may wrap at its dots (`*.delivery.mp.` / `microsoft.com`) rather than mid-label
 * in the narrow pane: <wbr> elements between text nodes, never markup from the name itself.
 */
function BreakableName({ text }: { readonly text: string }) {
  const parts = text.split(/(?<=[./])/);
  return <>{parts.map((part, i) => <Fragment key={i}>{i > 0 ? <wbr /> : null}{part}</Fragment>)}</>;
}

function PrivateReachList({ title, entries }: { readonly title: string; readonly entries: readonly PrivateReachEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <div className="reach-group">
      <div className="reach-kind">{title} ({entries.length})</div>
      <ul className="reach-list">
        {entries.map((e, i) => (
          <li key={`${e.value}-${i}`} className="reach-entry" data-testid="reach-private" data-kind={e.kind}>
            <div className="reach-line"><span className="reach-value mono"><BreakableName text={e.value} /></span></div>
            {/* Judged by the engine for this source: "May reach" (Unknown) is never shown as reached. */}
            {e.kind === 'private-endpoint'
              ? <span className={`badge tone-${badgeTone(e.verdict === 'private' ? 'private' : 'unknown')}`} data-testid="reach-private-verdict">{e.verdict === 'private' ? 'Private' : 'May reach'}</span>
              : null}
            {/* A private endpoint's target is a resource ID: its name reads better, the ID is one hover away. */}
            <div className="reach-rule" title={e.target}>
              {e.kind === 'private-endpoint' ? `→ ${e.target === '' ? 'target not visible' : nameFromResourceId(e.target)}` : `locations: ${e.target}${e.note ? `; ${e.note}` : ''}`}
            </div>
            {e.kind === 'private-endpoint' ? <div className="reach-rule" data-testid="reach-private-how">{privateEndpointReachText(e)}</div> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * What the verdict rests on, right under the badge: an unknown path's missing fact (its last hop,
 * which otherwise sits below the findings and every hop), or the destinations the rules on an
 * internet path restrict it to. An auditor reading only the top of the pane must not take
 * "Unknown" for a finding-free pass, nor "Internet via firewall" for "anything goes".
 */
function VerdictBasis({ path, hops }: { readonly path: EgressPath; readonly hops: readonly Hop[] }) {
  const last = hops[hops.length - 1];
  if (path.verdict === 'unknown' && last) {
    return (
      <p className="verdict-basis warn" data-testid="verdict-basis" data-basis="unknown">
        <strong>Why unknown (step {hops.length}):</strong> {last.explanation}
      </p>
    );
  }
  const restrictedTo = restrictionOf(path);
  if (restrictedTo !== null) {
    return (
      <p className="verdict-basis" data-testid="verdict-basis" data-basis="restricted">
        <strong>The rules on the path allow:</strong> {restrictedTo.join(', ')}
      </p>
    );
  }
  return null;
}

/** The destinations an internet path is restricted to (`every destination except …` included), or null when it is open. */
function restrictionOf(path: EgressPath): readonly string[] | null {
  if (path.verdict !== 'internet' || path.steps.length === 0) return null;
  const terminal = terminalOf(path.steps).reason;
  return terminal.kind === 'egress' ? terminal.restrictedTo : null;
}

/** `every destination except …` among a path's restrictions: names earlier deny rules keep out of an otherwise open path. */
function exceptionsOf(path: EgressPath | null): string | null {
  const r = path ? restrictionOf(path) : null;
  return r?.find((item) => item.startsWith(EVERY_DESTINATION_EXCEPT)) ?? null;
}

function ReachEntryItem({ entry, model }: { readonly entry: ReachEntry; readonly model: NetworkModel }) {
  const badge = verdictBadge(model, entry);
  return (
    <li className="reach-entry" data-testid="reach-entry" data-kind={entry.kind} data-value={entry.value}>
      <div className="reach-line">
        <span className="reach-value mono"><BreakableName text={reachDestinationText(entry, 'any')} /></span>
        <span className="reach-ports">{portsText(entry)}</span>
      </div>
      <span className={`badge tone-${badge.tone}`} data-testid="reach-verdict">{badge.text}</span>
      <div className="reach-rule mono" data-testid="reach-rule">{entry.rule}</div>
    </li>
  );
}

/**
 * A subnet's NICs that take its path on TCP 443 but whose own NSG rules (their NIC's NSG, rules for
 * their application security groups) let out other ports: they have no path to select, so the
 * subnet shows what each reaches beyond it.
 */
function NicsWithOwnReach({ nics, subnet, model }: { readonly nics: readonly ReachSource[]; readonly subnet: ReachSource; readonly model: NetworkModel }) {
  if (nics.length === 0) return null;
  return (
    <div className="reach-group" data-testid="reach-nics">
      <div className="reach-kind">NICs with reach of their own ({nics.length})</div>
      <div className="sub">They take this subnet's path on TCP 443, but their own NSG rules (their NIC's NSG, rules for their application security groups) treat other ports or private endpoints otherwise, or their own DNS servers answer private endpoint names. Beyond what this subnet reaches:</div>
      {nics.map((nic) => {
        const beyond = entriesBeyondSubnet(nic, subnet);
        const endpoints = endpointsBeyondSubnet(nic, subnet);
        return (
          <div key={nic.source.id} data-testid="reach-nic" data-name={nic.source.name}>
            <div className="reach-value mono"><BreakableName text={nic.source.name} /></div>
            {beyond.length > 0
              ? <ul className="reach-list">{beyond.map((e, i) => <ReachEntryItem key={`${e.value}-${e.rule}-${i}`} entry={e} model={model} />)}</ul>
              : endpoints.own.length === 0 && endpoints.notReached.length === 0
                ? <div className="sub">Nothing more: on its other ports it reaches less than the subnet, or the same.</div>
                : null}
            {endpoints.own.map((e) => (
              <div key={`own-${e.endpointId}`} className="sub" data-testid="reach-nic-endpoint">Private endpoint <span className="mono">{e.value}</span>: {privateEndpointReachText(e)}</div>
            ))}
            {endpoints.notReached.length > 0
              ? <div className="sub" data-testid="reach-nic-endpoint-not-reached">Not reached from this NIC (an NSG rule that applies to it and not to the subnet's other NICs stops it): <span className="mono">{endpoints.notReached.map((e) => e.value).join('; ')}</span></div>
              : null}
          </div>
        );
      })}
    </div>
  );
}

function ReachDetails({ reach, model, exceptions }: { readonly reach: ReachSource; readonly model: NetworkModel; readonly exceptions: string | null }) {
  const openEntry = openingEntry(reach);
  // The default path's exceptions, or, when another port opens the source, its entry's own.
  const excepted = openingExceptions(reach);
  const badgeExceptions = exceptions ?? (excepted.length > 0 ? `${EVERY_DESTINATION_EXCEPT}${excepted.join(', ')}` : null);
  // The badge states the entry that opens the source; every other one is listed, `any` entries on
  // other ports too (a rule allowing `*` on UDP 123 besides an open TCP 443), as the PDF lists them.
  const groups = groupReachEntries(reach.allowed.filter((e) => e !== openEntry));
  const endpoints = reach.private.filter((e) => e.kind === 'private-endpoint');
  const serviceEndpoints = reach.private.filter((e) => e.kind === 'service-endpoint');
  return (
    <>
      {reach.unrestricted ? (
        <div className="reach-summary">
          {/* Deny rules processed before the allow keep some names out: "any" would overstate it. */}
          <span className="badge tone-warn" data-testid="reach-unrestricted">
            {badgeExceptions === null ? `Unrestricted: ${ANY_PUBLIC_DESTINATION} (${unrestrictedOn(reach) ?? 'TCP 443'})` : `Unrestricted: ${badgeExceptions} (${unrestrictedOn(reach) ?? 'TCP 443'})`}
          </span>
          {openEntry ? <div className="reach-rule">{openEntry.rule}</div> : null}
        </div>
      ) : (
        reach.defaultRoute === 'unknown' ? (
          // An undecided default route is not a restriction: say what is not known instead.
          <div className="reach-summary sub" data-testid="reach-unknown">
            {groups.length > 0
              ? 'Unknown: the default route could not be decided (see the gaps). What these rules allow:'
              : 'Unknown: the default route could not be decided, so what it can reach is not known (see the gaps).'}
          </div>
        ) : (
          <div className="reach-summary sub" data-testid="reach-restricted">
            {/* A forced tunnel is not "only what these rules allow": the rest goes on-premises, whose
                rules the input does not hold (the PDF and the CLI say the same shared sentence). */}
            {groups.length === 0 ? nothingListedText(reach.defaultRoute)
              : reach.defaultRoute === 'on-premises' ? forcedTunnelListedText(groups.flatMap((g) => g.entries))
                : 'Only what these rules allow:'}
          </div>
        )
      )}
      {groups.map((g) => (
        <div key={g.kind} className="reach-group">
          <div className="reach-kind">{g.label} ({g.entries.length})</div>
          <ul className="reach-list">
            {g.entries.map((e, i) => <ReachEntryItem key={`${e.value}-${e.rule}-${i}`} entry={e} model={model} />)}
          </ul>
        </div>
      ))}
      {reach.private.length > 0 ? (
        <>
          <div className="reach-private-heading">Private reach</div>
          <PrivateReachList title="Private endpoints" entries={endpoints} />
          <PrivateReachList title="Service endpoints" entries={serviceEndpoints} />
        </>
      ) : null}
    </>
  );
}

function CanReach({ reach, model, exceptions }: { readonly reach: ReachView; readonly model: NetworkModel; readonly exceptions: string | null }) {
  return (
    <section data-testid="can-reach" aria-busy={reach.status === 'loading'}>
      <h3>Can reach</h3>
      {reach.status === 'loading' ? <div className="sub" data-testid="reach-loading">Working out what this source can reach…</div> : null}
      {reach.status === 'failed' ? <div className="sub reach-failed">Could not work out its reach: {reach.message}</div> : null}
      {reach.status === 'loaded' && reach.source === null
        ? <div className="sub">No reach answer for this source (it has no default-route path of its own).</div> : null}
      {reach.status === 'loaded' && reach.source !== null ? <ReachDetails reach={reach.source} model={model} exceptions={exceptions} /> : null}
      {reach.status === 'loaded' && reach.source !== null ? <NicsWithOwnReach nics={reach.nics} subnet={reach.source} model={model} /> : null}
    </section>
  );
}

const DEFAULT_ROUTE = '0.0.0.0/0';

/** An unknown path's exit is not known either: "none" would claim it never leaves. */
function egressIpsText(path: EgressPath): string {
  if (path.egressIps.length > 0) return path.egressIps.join(', ');
  switch (path.verdict) {
    case 'internet': return 'not known (Microsoft-owned or unallocated)';
    case 'unknown': return 'not known (the verdict is unknown)';
    default: return 'none';
  }
}

function PathExplanation({ path, destination, reach, model, estateFindings, observed }: {
  readonly path: EgressPath; readonly destination: string; readonly reach: ReachView | null; readonly model: NetworkModel;
  readonly estateFindings: readonly Finding[]; readonly observed?: ReactNode;
}) {
  const badge = badgeFor(path);
  // The path's own findings, then the estate's that name this source (as the list counts them).
  const findings = sourceFindings(path, estateFindingsBySource(estateFindings));
  const hops = explainPath(path);
  // "Can reach" answers for the default route: only that path's exceptions qualify it.
  const reachExceptions = destination === DEFAULT_ROUTE ? exceptionsOf(path) : null;
  return (
    <div data-testid="explanation">
      <h2>{path.source.name}</h2>
      <div className="sub">{path.source.type === 'subnet' ? 'Subnet' : 'Network interface'} · to {destination}</div>
      <div style={{ marginTop: 8 }}><span className={`badge tone-${badge.tone}`} data-testid="verdict-badge">{badge.text}</span></div>
      <VerdictBasis path={path} hops={hops} />
      {/* The verdict, then the reason (the findings), then the hops: an auditor reads the answer first. */}
      <section data-testid="path-findings" aria-label="Findings">
        <h3>Findings ({findings.length})</h3>
        {findings.length > 0
          ? findings.map((f, i) => <FindingItem key={`${f.code}-${i}`} finding={f} />)
          : <div className="sub">None on this path.</div>}
      </section>
      <h3>Leaves from</h3>
      <dl className="kv">
        <dt>Public IPs</dt>
        <dd data-testid="egress-ips">{path.egressIps.length > 0 ? path.egressIps.join(', ') : egressIpsText(path)}</dd>
        <dt>SNAT ports</dt>
        <dd>{snatPortsText(path, 'not known')}</dd>
      </dl>
      <h3>Hop by hop</h3>
      <ol className="hops" data-testid="hops">
        {hops.map((hop, i) => {
          const label = hopLabel(hop, i === hops.length - 1, path.verdict);
          return <HopItem key={`${i}-${hop.id}`} hop={hop} step={i + 1} label={label} undecided={label !== HOP_KIND_LABEL[hop.kind]} />;
        })}
      </ol>
      {reach ? <CanReach reach={reach} model={model} exceptions={reachExceptions} /> : null}
      {observed}
    </div>
  );
}

function ResourceCard({ details }: { readonly details: ResourceDetails }) {
  return (
    <div data-testid="resource-details" style={{ marginBottom: 18 }}>
      {/* The name is the heading (h2 under the page's h1) and its sections (Tags) are h3s below it;
          the type is a plain line under the name, so a heading list reads name, then sections. */}
      <h2>{details.name}</h2>
      <div className="resource-type" data-testid="resource-type">{details.type}</div>
      <div className="sub mono">{details.id}</div>
      <dl className="kv" style={{ marginTop: 8 }}>
        {details.rows.map((r) => (<Fragment key={r.label}><dt>{r.label}</dt><dd>{r.value}</dd></Fragment>))}
      </dl>
      {details.tags.length > 0 ? (
        <>
          <h3>Tags</h3>
          {details.tagsFrom === null ? null : <div className="sub">of virtual network {details.tagsFrom} (subnets carry no tags of their own)</div>}
          <dl className="kv">
            {details.tags.map((t) => (<Fragment key={t.label}><dt>{t.label}</dt><dd>{t.value}</dd></Fragment>))}
          </dl>
        </>
      ) : null}
    </div>
  );
}

export type { TourProps };

export interface DetailsPanelProps {
  readonly path: EgressPath | null;
  readonly destination: string;
  readonly details: ResourceDetails | null;
  readonly tour: TourProps | null;
  readonly estateFindings: readonly Finding[];
  /** "Can reach" for the selected source; null when nothing is selected. */
  readonly reach: ReachView | null;
  /** For the badges of reach entries (their appliances are given as resource IDs). */
  readonly model: NetworkModel;
  /** Observed destinations from added logs (ObservedTraffic.tsx), after "Can reach". */
  readonly observed?: ReactNode;
}

export function DetailsPanel({ path, destination, details, tour, estateFindings, reach, model, observed }: DetailsPanelProps) {
  return (
    <aside className="details" aria-label="Explanation">
      {tour ? <TourCard {...tour} /> : null}
      {details ? <ResourceCard details={details} /> : null}
      {path ? <PathExplanation path={path} destination={destination} reach={reach} model={model} estateFindings={estateFindings} observed={observed} /> : null}
      {!path && !details ? (
        <div>
          <p className="empty">Select a subnet in the list or on the graph to see where its internet traffic goes and why.</p>
          {estateFindings.length > 0 ? (
            <>
              {/* An h2 (styled as a section title): with nothing selected it is the pane's first
                  heading, right under the page's h1, and an h3 there would skip a level. */}
              <h2 className="section-heading">Estate findings ({estateFindings.length})</h2>
              {estateFindings.map((f, i) => <FindingItem key={`${f.code}-${i}`} finding={f} />)}
            </>
          ) : null}
        </div>
      ) : null}
    </aside>
  );
}
