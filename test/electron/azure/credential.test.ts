import { describe, expect, it } from 'vitest';
import { AzureCliCredential, DeviceCodeCredential, EnvironmentCredential, InteractiveBrowserCredential, WorkloadIdentityCredential } from '@azure/identity';
import { resolveCloudTarget } from '../../../electron/azure/clouds';
import { createCredential, jwtExpiryMs, staticTokenCredential } from '../../../electron/azure/credential';

const target = resolveCloudTarget('AzureChinaCloud');

function jwt(exp: number): string {
  const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none' })}.${b64({ exp, aud: 'https://management.azure.com' })}.sig`;
}

describe('credentials', () => {
  it('--access-token: a static credential that returns the token and its JWT expiry', async () => {
    const token = jwt(2_000_000_000);
    const credential = createCredential({ auth: 'browser', tenantId: null, target, accessToken: `Bearer ${token}` });
    const got = await credential.getToken('https://management.chinacloudapi.cn/.default');
    expect(got).toEqual({ token, expiresOnTimestamp: 2_000_000_000_000 });
    expect(jwtExpiryMs('opaque-token')).toBeNull();
    expect((await staticTokenCredential('opaque', () => 1000).getToken('x'))?.expiresOnTimestamp).toBe(3_601_000);
  });

  it.each([
    ['browser', InteractiveBrowserCredential],
    ['device-code', DeviceCodeCredential],
    ['cli', AzureCliCredential],
  ] as const)('%s builds the matching @azure/identity credential', (auth, type) => {
    expect(createCredential({ auth, tenantId: '00000000-0000-4000-8000-000000000001', target })).toBeInstanceOf(type);
  });

  it('env: workload identity when a federated token file is set, else the environment service principal', () => {
    expect(createCredential({ auth: 'env', tenantId: 't', target, env: { AZURE_FEDERATED_TOKEN_FILE: '/var/run/token', AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't' } })).toBeInstanceOf(WorkloadIdentityCredential);
    expect(createCredential({ auth: 'env', tenantId: null, target, env: {} })).toBeInstanceOf(EnvironmentCredential);
  });
});
