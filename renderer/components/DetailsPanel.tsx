/**
 * Right pane: the guided-tour lesson (trainee mode), the selected resource's details (type, region,
 * addresses, tags) and the hop-by-hop explanation of the selected source's path, with docs links,
 * read-only `az` verify commands, egress IPs, SNAT capacity and findings. All text nodes.
 */
import { Fragment } from 'react';
import { explainPath } from '../../shared/egress/explain';
import type { EgressPath, Finding, Hop } from '../../shared/egress/types';
import type { TrainingLesson } from '../../shared/demo/training';
import type { ResourceDetails } from '../state/selectors';
import { badgeFor } from '../state/badges';
import { CopyButton } from './CopyButton';

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

function DocsLink({ href }: { readonly href: string }) {
  // In Electron the shell opens target=_blank links externally (new windows are denied).
  return (
    <>
      <a href={href} target="_blank" rel="noreferrer">Microsoft Learn</a>
      <CopyButton text={href} label="Copy link" />
    </>
  );
}

function HopItem({ hop }: { readonly hop: Hop }) {
  return (
    <li className="hop" data-testid="hop">
      <div className="kind">{HOP_KIND_LABEL[hop.kind]}</div>
      <div className="rule">{hop.rule}</div>
      <p>{hop.explanation}</p>
      <div className="links">{hop.docs !== '' ? <DocsLink href={hop.docs} /> : null}</div>
      {hop.verify !== '' ? (
        <div className="verify"><code>{hop.verify}</code><CopyButton text={hop.verify} /></div>
      ) : null}
    </li>
  );
}

export function FindingItem({ finding }: { readonly finding: Finding }) {
  return (
    <div className="finding" data-testid="finding">
      <span className={`sev sev-${finding.severity}`}>{finding.severity}</span> <strong>{finding.code}</strong>
      <p>{finding.message}</p>
      {finding.advice !== undefined ? <p className="advice">{finding.advice}</p> : null}
      {finding.docs !== undefined ? <div className="links" style={{ marginTop: 4 }}><DocsLink href={finding.docs} /></div> : null}
    </div>
  );
}

function PathExplanation({ path, destination }: { readonly path: EgressPath; readonly destination: string }) {
  const badge = badgeFor(path);
  return (
    <div data-testid="explanation">
      <h2>{path.source.name}</h2>
      <div className="sub">{path.source.type === 'subnet' ? 'Subnet' : 'Network interface'} · to {destination}</div>
      <div style={{ marginTop: 8 }}><span className={`badge tone-${badge.tone}`} data-testid="verdict-badge">{badge.text}</span></div>
      <h3>Leaves from</h3>
      <dl className="kv">
        <dt>Public IPs</dt>
        <dd data-testid="egress-ips">{path.egressIps.length > 0 ? path.egressIps.join(', ') : (path.verdict === 'internet' ? 'not known (Microsoft-owned or unallocated)' : 'none')}</dd>
        <dt>SNAT ports</dt>
        <dd>{path.snatPorts === null ? 'not known' : path.snatPorts.toLocaleString()}</dd>
      </dl>
      <h3>Hop by hop</h3>
      <ol className="hops">
        {explainPath(path).map((hop, i) => <HopItem key={`${i}-${hop.id}`} hop={hop} />)}
      </ol>
      {path.findings.length > 0 ? (
        <>
          <h3>Findings ({path.findings.length})</h3>
          {path.findings.map((f, i) => <FindingItem key={`${f.code}-${i}`} finding={f} />)}
        </>
      ) : null}
    </div>
  );
}

function ResourceCard({ details }: { readonly details: ResourceDetails }) {
  return (
    <div data-testid="resource-details" style={{ marginBottom: 18 }}>
      <h3 style={{ marginTop: 0 }}>{details.type}</h3>
      <h2>{details.name}</h2>
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

export interface TourProps {
  readonly lessons: readonly TrainingLesson[];
  readonly step: number;
  readonly onStep: (step: number) => void;
  readonly onEnd: () => void;
}

function TourCard({ lessons, step, onStep, onEnd }: TourProps) {
  const lesson = lessons[step];
  if (!lesson) return null;
  return (
    <div className="tour" data-testid="tour">
      <div className="step">Lesson {step + 1} of {lessons.length}</div>
      <h2>{lesson.title}</h2>
      <p>{lesson.text}</p>
      <div className="nav">
        <button type="button" className="btn small" disabled={step === 0} onClick={() => onStep(step - 1)}>Previous</button>
        <button type="button" className="btn small primary" disabled={step >= lessons.length - 1} onClick={() => onStep(step + 1)}>Next</button>
        <span style={{ flex: 1 }} />
        <button type="button" className="btn small ghost" onClick={onEnd}>End tour</button>
      </div>
    </div>
  );
}

export interface DetailsPanelProps {
  readonly path: EgressPath | null;
  readonly destination: string;
  readonly details: ResourceDetails | null;
  readonly tour: TourProps | null;
  readonly estateFindings: readonly Finding[];
}

export function DetailsPanel({ path, destination, details, tour, estateFindings }: DetailsPanelProps) {
  return (
    <aside className="details" aria-label="Explanation">
      {tour ? <TourCard {...tour} /> : null}
      {details ? <ResourceCard details={details} /> : null}
      {path ? <PathExplanation path={path} destination={destination} /> : null}
      {!path && !details ? (
        <div>
          <p className="empty">Select a subnet in the list or on the graph to see where its internet traffic goes and why.</p>
          {estateFindings.length > 0 ? (
            <>
              <h3>Estate findings ({estateFindings.length})</h3>
              {estateFindings.map((f, i) => <FindingItem key={`${f.code}-${i}`} finding={f} />)}
            </>
          ) : null}
        </div>
      ) : null}
    </aside>
  );
}
