import { describe, expect, it } from 'vitest';
import { BADGE_KINDS, badgeFor, badgeText } from '../../../renderer/state/badges';
import { FIREWALL_ID, NVA_NIC_ID } from '../fixtures';
import { viaOf } from '../../support/steps';

describe('verdict badges', () => {
  it('names internet egress by the appliance first, then by the exit method', () => {
    expect(badgeFor({ verdict: 'internet', exit: 'nat-gateway', via: [viaOf(FIREWALL_ID)] }).text).toBe('Internet via firewall');
    expect(badgeFor({ verdict: 'internet', exit: 'nat-gateway', via: [viaOf(NVA_NIC_ID)] }).text).toBe('Internet via NVA');
    expect(badgeFor({ verdict: 'internet', exit: 'nat-gateway', via: [] }).text).toBe('Internet via NAT');
    expect(badgeFor({ verdict: 'internet', exit: 'public-ip', via: [] }).text).toBe('Internet via public IP');
    expect(badgeFor({ verdict: 'internet', exit: 'load-balancer', via: [] }).text).toBe('Internet via LB outbound');
    expect(badgeFor({ verdict: 'internet', exit: 'default-outbound', via: [] })).toEqual({ kind: 'default-outbound', text: 'Default outbound', tone: 'warn' });
  });

  it('names the non-internet verdicts and colours broken paths red', () => {
    expect(badgeFor({ verdict: 'on-premises', exit: null, via: [] }).text).toBe('On-premises');
    expect(badgeFor({ verdict: 'no-outbound', exit: null, via: [] }).text).toBe('No outbound');
    expect(badgeFor({ verdict: 'dropped', exit: null, via: [] })).toEqual({ kind: 'dropped', text: 'Dropped', tone: 'bad' });
    expect(badgeFor({ verdict: 'denied', exit: null, via: [] })).toEqual({ kind: 'denied', text: 'Denied', tone: 'bad' });
    expect(badgeFor({ verdict: 'internet', exit: null, via: [] }).kind).toBe('unknown');
  });

  it('has a distinct text for every badge kind', () => {
    const texts = BADGE_KINDS.map(badgeText);
    expect(new Set(texts).size).toBe(BADGE_KINDS.length);
  });
});

describe('platform badges', () => {
  it('names platform subnets by what runs there, in a neutral tone', () => {
    expect(badgeFor({ verdict: 'internet', exit: 'public-ip', via: [], source: { role: 'azure-firewall' } })).toEqual({ kind: 'platform-firewall', text: 'Platform: firewall', tone: 'neutral' });
    expect(badgeFor({ verdict: 'internet', exit: 'nat-gateway', via: [], source: { role: 'azure-firewall' } }).text).toBe('Platform: firewall');
    expect(badgeFor({ verdict: 'internet', exit: 'public-ip', via: [], source: { role: 'gateway' } }).text).toBe('Platform: gateway');
    expect(badgeFor({ verdict: 'internet', exit: 'public-ip', via: [], source: { role: 'firewall-management' } }).text).toBe('Platform: firewall management');
    expect(badgeFor({ verdict: 'unknown', exit: null, via: [], source: { role: 'bastion' } }).text).toBe('Platform: Bastion');
    expect(badgeFor({ verdict: 'unknown', exit: null, via: [], source: { role: 'route-server' } }).text).toBe('Platform: Route Server');
  });

  it('workload and role-less paths keep the verdict badge; a broken platform path shows the break', () => {
    expect(badgeFor({ verdict: 'internet', exit: 'public-ip', via: [], source: { role: 'workload' } }).text).toBe('Internet via public IP');
    expect(badgeFor({ verdict: 'internet', exit: 'public-ip', via: [], source: {} }).text).toBe('Internet via public IP');
    expect(badgeFor({ verdict: 'dropped', exit: null, via: [], source: { role: 'azure-firewall' } })).toEqual({ kind: 'dropped', text: 'Dropped', tone: 'bad' });
    // Firewall and gateway egress is modelled: its unknown is a missing fact, shown as such.
    expect(badgeFor({ verdict: 'unknown', exit: null, via: [], source: { role: 'azure-firewall' } }).kind).toBe('unknown');
    expect(badgeFor({ verdict: 'unknown', exit: null, via: [], source: { role: 'gateway' } }).kind).toBe('unknown');
  });
});
