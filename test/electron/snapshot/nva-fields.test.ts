/**
 * Fields added with the NVA audit: a NIC's `enableIPForwarding` may be null (not in the input, never
 * read as off), and a subnet's `unreadIpConfigurations` (listed IP configurations whose owner the
 * input lacks). New snapshots keep both; snapshots written before them still load; a malformed
 * value is refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { parseSnapshotJson } from '../../../electron/snapshot/snapshot';
import type { NetworkModel } from '../../../shared/model/topology';
import { writtenSnapshot } from '../../support/snapshot-files';
import { ModelBuilder } from '../../support/model-builder';

const OWNER = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nva-nic';

const written = (model: NetworkModel): unknown => writtenSnapshot(model, 'net.json');

function model(forwarding: unknown, unread: unknown): NetworkModel {
  const b = new ModelBuilder();
  b.nic(b.subnet(b.vnet('v', ['10.0.0.0/16']), 'app', '10.0.1.0/24'), 'vm-nic', '10.0.1.4');
  const built = b.build();
  return {
    ...built,
    networkInterfaces: built.networkInterfaces.map((n) => ({ ...n, enableIPForwarding: forwarding as never })),
    subnets: built.subnets.map((s) => (unread === undefined ? s : { ...s, unreadIpConfigurations: unread as never })),
  };
}

describe('snapshots and the NVA audit fields', () => {
  it('keeps enableIPForwarding null and unreadIpConfigurations; older snapshots (a boolean, no list) load unchanged', () => {
    const fresh = parseSnapshotJson(written(model(null, { count: 2, firstOwnerId: OWNER })), 'new.snapshot.json').model;
    expect(fresh.networkInterfaces[0]?.enableIPForwarding).toBeNull();
    expect(fresh.subnets[0]?.unreadIpConfigurations).toEqual({ count: 2, firstOwnerId: OWNER });
    const old = parseSnapshotJson(written(model(false, undefined)), 'old.snapshot.json').model;
    expect(old.networkInterfaces[0]?.enableIPForwarding).toBe(false);
    expect(old.subnets[0]).not.toHaveProperty('unreadIpConfigurations');
  });

  it('keeps a NIC\'s missingSiblingNicIds (NICs its VM lists that the input lacks) and refuses a malformed one', () => {
    const sibling = '/subscriptions/x/resourcegroups/rg/providers/microsoft.network/networkinterfaces/nva-untrust';
    const withSiblings = (value: unknown): NetworkModel => {
      const base = model(true, undefined);
      return { ...base, networkInterfaces: base.networkInterfaces.map((n) => ({ ...n, missingSiblingNicIds: value as never })) };
    };
    expect(parseSnapshotJson(written(withSiblings([sibling])), 'new.snapshot.json').model.networkInterfaces[0]?.missingSiblingNicIds).toEqual([sibling]);
    expect(parseSnapshotJson(written(model(true, undefined)), 'old.snapshot.json').model.networkInterfaces[0]).not.toHaveProperty('missingSiblingNicIds');
    expect(() => parseSnapshotJson(written(withSiblings('nva-untrust')), 'bad.snapshot.json')).toThrow(/missingSiblingNicIds/);
  });

  it('refuses malformed values, naming the field', () => {
    expect(() => parseSnapshotJson(written(model('yes', undefined)), 'bad.snapshot.json')).toThrow(/enableIPForwarding/);
    expect(() => parseSnapshotJson(written(model(true, { count: 'two', firstOwnerId: OWNER })), 'bad.snapshot.json')).toThrow(/unreadIpConfigurations/);
  });
});
