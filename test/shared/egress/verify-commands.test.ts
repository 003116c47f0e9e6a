/**
 * Every `verify` command is pasted into a shell by auditors: resource IDs and names are quoted so
 * that no shell (bash here; PowerShell treats single quotes the same way, literally) interprets
 * them, and a value that cannot be quoted safely for both is refused.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERIFY } from '../../../shared/egress/docs';

const HOSTILE = [
  '$(touch egress-atlas-pwned)',
  '`touch egress-atlas-pwned`',
  'name; rm -rf ~',
  'a b "c" $HOME & | > x',
  'ünïcode-東京',
];

function id(name: string): string {
  return `/subscriptions/s1/resourceGroups/rg-${name}/providers/Microsoft.Network/networkSecurityGroups/${name}`;
}

/** Runs the command in bash with `az` replaced by a function that prints its arguments, one per line. */
function argsInBash(command: string): readonly string[] {
  const out = execFileSync('bash', ['-c', `az() { printf '%s\\n' "$@"; }\n${command}`], { encoding: 'utf8', cwd: tmpdir() });
  return out.replace(/\n$/, '').split('\n');
}

describe('verify commands are safe to paste', () => {
  it.each(HOSTILE)('passes %j through bash as one literal argument, running nothing', (name) => {
    expect(existsSync(join(tmpdir(), 'egress-atlas-pwned'))).toBe(false);
    const args = argsInBash(VERIFY.nsgRules(id(name)));
    expect(args).toEqual(['network', 'nsg', 'rule', 'list', '--nsg-name', name, '-g', `rg-${name}`, '--include-default', '-o', 'table']);
    const show = argsInBash(VERIFY.subnet(id(name)));
    expect(show[5]).toBe(id(name));
    expect(show[7]).toBe('{nat:natGateway.id, rt:routeTable.id, nsg:networkSecurityGroup.id, defaultOutboundAccess:defaultOutboundAccess}');
    expect(existsSync(join(tmpdir(), 'egress-atlas-pwned'))).toBe(false);
  });

  it('refuses a value with a single quote or a control character instead of printing a command that would break', () => {
    expect(VERIFY.subnet(id("o'brien"))).toMatch(/^# not shown: /);
    expect(VERIFY.nsgRules(id('esc\u001b[31mred'))).toMatch(/^# not shown: /);
    expect(VERIFY.nic(id('new\nline'))).toMatch(/^# not shown: /);
  });

  it('quotes IDs and JMESPath queries with single quotes (literal in bash and PowerShell)', () => {
    expect(VERIFY.effectiveRoutes('/subscriptions/s/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nic1'))
      .toBe("az network nic show-effective-route-table --ids '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nic1' -o table");
    expect(VERIFY.publicIp('/x')).toContain("--query '{ip:ipAddress, sku:sku.name, attachedTo:ipConfiguration.id}'");
  });
});

describe('verify commands for routing unknowns', () => {
  const vnet = '/subscriptions/s1/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub';

  it('two peerings holding one address: the VNet\'s peerings with what each carries and its state', () => {
    const args = argsInBash(VERIFY.peerings(vnet));
    expect(args.slice(0, 9)).toEqual(['network', 'vnet', 'peering', 'list', '--vnet-name', 'hub', '-g', 'rg-hub', '--subscription']);
    expect(args[9]).toBe('s1');
    expect(args[11]).toContain('carries:remoteAddressSpace.addressPrefixes');
  });

  it('a gateway-transit hub not in the input: the gateways its GatewaySubnet lists', () => {
    expect(argsInBash(VERIFY.vnetGateways(vnet))).toEqual(['network', 'vnet', 'subnet', 'show', '--ids', `${vnet}/subnets/GatewaySubnet`, '--query', 'ipConfigurations[].id']);
  });

  it('a service tag\'s prefixes, with the tag reduced to the characters a tag name has', () => {
    expect(argsInBash(VERIFY.serviceTag('Storage.WestEurope', 'westeurope')))
      .toEqual(['network', 'list-service-tags', '--location', 'westeurope', '--query', 'values[?name==`"Storage.WestEurope"`].properties.addressPrefixes']);
    expect(argsInBash(VERIFY.serviceTag('Sto$(x)rage', null))[5]).toBe('values[?name==`"Stoxrage"`].properties.addressPrefixes');
  });
});
