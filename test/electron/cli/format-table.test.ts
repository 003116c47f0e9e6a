import { describe, expect, it } from 'vitest';
import { formatTable, PLATFORM_MARKER } from '../../../electron/cli/format-table';
import { resolveEgress } from '../../../shared/egress';
import { ModelBuilder, networkRule } from '../../support/model-builder';

function estate() {
  const b = new ModelBuilder();
  const v = b.vnet('hub', ['10.0.0.0/16']);
  const fwSubnet = b.subnet(v, 'AzureFirewallSubnet', '10.0.1.0/26');
  b.firewall('fw', { subnetId: fwSubnet, privateIp: '10.0.1.4', publicIpIds: [b.publicIp('fw-pip', '20.0.0.10')], rules: [networkRule('web')] });
  b.subnet(v, 'GatewaySubnet', '10.0.255.0/27');
  // Static routing (no BGP): the subnets' default route is decided without captured routes.
  b.gateway('vpn', v, { publicIpIds: [b.publicIp('vpn-pip', '20.5.5.5')], enableBgp: false });
  b.subnet(v, 'app', '10.0.2.0/24');
  const model = b.build();
  return { model, result: resolveEgress({ model, effectiveRoutes: [], metrics: [], gaps: [] }) };
}

const row = (table: string, name: string): string => table.split('\n').find((l) => l.trimStart().startsWith(`${name} `)) ?? '';

describe('formatTable: platform rows', () => {
  it('marks platform subnets with (platform) after the name and leaves workload rows alone', () => {
    const { model, result } = estate();
    const table = formatTable(result, model, { color: false });
    expect(row(table, 'AzureFirewallSubnet')).toMatch(/^ {2}AzureFirewallSubnet \(platform\) +internet +public-ip +- +20\.0\.0\.10/);
    expect(row(table, 'GatewaySubnet')).toMatch(/^ {2}GatewaySubnet \(platform\) +internet +public-ip +- +20\.5\.5\.5/);
    expect(row(table, 'app')).not.toContain(PLATFORM_MARKER);
    expect(row(table, 'app')).toMatch(/default-outbound\(w\)$/);
  });

  it('dims only the marker when colours are on, keeping columns aligned', () => {
    const { model, result } = estate();
    const table = formatTable(result, model, { color: true });
    expect(row(table, 'GatewaySubnet')).toContain(`GatewaySubnet \u001b[2m${PLATFORM_MARKER}\u001b[0m`);
    // eslint-disable-next-line no-control-regex
    const strip = (s: string): string => s.replace(/\u001b\[\d+m/g, '');
    const plainTable = formatTable(result, model, { color: false });
    expect(strip(table)).toBe(plainTable);
  });
});
