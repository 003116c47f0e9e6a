import { RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { gapFromError, maskIdentities } from '../../../electron/azure/errors';

const SUB = '11111111-2222-3333-4444-555555555555';

describe('ARM error text stored as gaps', () => {
  it('masks the principal, its e-mail and object IDs, keeps the scope and action', () => {
    const arm = `The client 'ann.smith@contoso.com' with object id '0d2e5c3a-9f1b-4c57-a1e2-3b4c5d6e7f80' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/read' over scope '/subscriptions/${SUB}' or the scope is invalid.`;
    const masked = maskIdentities(arm);
    expect(masked).toBe(`The client '<principal>' with object id '<id>' does not have authorization to perform action 'Microsoft.Network/virtualNetworks/read' over scope '/subscriptions/${SUB}' or the scope is invalid.`);
    expect(maskIdentities('Tenant ID: 9b1c3a55-0000-4000-8000-000000000001, contact ops@bank.example.org')).toBe('Tenant ID: <id>, contact <e-mail>');
  });

  it('applies to gaps built from a real 403 body', () => {
    const body = JSON.stringify({ error: { code: 'AuthorizationFailed', message: `The client 'svc-egress@bank.onmicrosoft.com' with object id 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' does not have authorization to perform action 'Microsoft.Network/networkInterfaces/effectiveRouteTable/action' over scope '/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic1'.` } });
    const error = new RestError('forbidden', {
      statusCode: 403, code: 'AuthorizationFailed',
      response: { status: 403, bodyAsText: body, headers: { get: () => undefined, has: () => false, set: () => undefined, delete: () => undefined, toJSON: () => ({}), [Symbol.iterator]: function* () { /* none */ } }, request: {} as never },
    });
    const gap = gapFromError(`/subscriptions/${SUB}`, 'Effective routes of nic1', error);
    expect(gap.code).toBe('access-denied');
    expect(gap.message).not.toMatch(/svc-egress|aaaaaaaa-bbbb/);
    expect(gap.message).toContain(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic1`);
    expect(gap.message).toMatch(/^Effective routes of nic1 failed: HTTP 403 AuthorizationFailed: The client '<principal>' with object id '<id>'/);
  });
});
