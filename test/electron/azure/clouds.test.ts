import { describe, expect, it } from 'vitest';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { createNetworkClient } from '../../../electron/azure/clients';
import { systemClock } from '../../../electron/azure/clock';
import { ArmEndpointError, CLOUDS, parseArmEndpoint, parseCloudName, resolveCloudTarget } from '../../../electron/azure/clouds';
import { pacingPolicy, PullStats, ResourceGraphQuota, TokenBucket } from '../../../electron/azure/policies';
import { recordingCredential } from './helpers';

describe('sovereign clouds', () => {
  it.each([
    ['public', 'AzurePublicCloud', 'https://login.microsoftonline.com', 'https://management.azure.com', 'https://management.azure.com/.default'],
    ['usgov', 'AzureUSGovernment', 'https://login.microsoftonline.us', 'https://management.usgovcloudapi.net', 'https://management.usgovcloudapi.net/.default'],
    ['china', 'AzureChinaCloud', 'https://login.chinacloudapi.cn', 'https://management.chinacloudapi.cn', 'https://management.chinacloudapi.cn/.default'],
  ] as const)('%s → authority, ARM endpoint and token scope agree', (flag, name, authority, arm, scope) => {
    expect(parseCloudName(flag)).toBe(name);
    const target = resolveCloudTarget(name);
    expect(target).toMatchObject({ authorityHost: authority, armEndpoint: arm, armScope: scope, insecureLoopback: false });
    expect(CLOUDS[name].armScope.startsWith(CLOUDS[name].armEndpoint)).toBe(true);
  });

  it('the SDK client sends US Gov requests to the US Gov endpoint with the US Gov scope', async () => {
    const credential = recordingCredential();
    const seen: PipelineRequest[] = [];
    const httpClient: HttpClient = {
      sendRequest: async (request) => {
        seen.push(request);
        return { request, status: 200, headers: createHttpHeaders({ 'content-type': 'application/json' }), bodyAsText: '{"value":[]}' };
      },
    };
    const stats = new PullStats();
    const pacing = pacingPolicy({
      clock: systemClock, stats, armBucket: new TokenBucket(10, 10, systemClock), graphQuota: new ResourceGraphQuota(systemClock),
      requestTimeoutMs: 1000, maxRetries: 0, maxThrottleRetries: 0, baseRetryDelayMs: 1, maxRetryDelayMs: 1,
    });
    const client = createNetworkClient({ credential, target: resolveCloudTarget('AzureUSGovernment'), pacing, httpClient }, 'sub1');
    for await (const v of client.virtualNetworks.listAll()) void v;
    expect(seen).toHaveLength(1);
    expect(new URL(seen[0]?.url ?? '').host).toBe('management.usgovcloudapi.net');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer test-token');
    expect(credential.scopes).toEqual([['https://management.usgovcloudapi.net/.default']]);
    expect(stats.requests).toBe(1);
  });

  it('rejects unknown cloud names', () => {
    expect(parseCloudName('germany')).toBeNull();
  });
});

describe('--arm-endpoint', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(parseArmEndpoint('https://management.local.azurestack.external/')).toEqual({ url: 'https://management.local.azurestack.external', insecureLoopback: false });
    expect(parseArmEndpoint('http://127.0.0.1:8080')).toEqual({ url: 'http://127.0.0.1:8080', insecureLoopback: true });
    expect(parseArmEndpoint('http://localhost:9')).toMatchObject({ insecureLoopback: true });
    expect(parseArmEndpoint('http://[::1]:9')).toMatchObject({ insecureLoopback: true });
  });

  it.each(['http://10.0.0.5:8080', 'http://management.example.com', 'http://127.0.0.1.evil.example', 'ftp://127.0.0.1', 'not a url'])('rejects %s with a clear error', (url) => {
    expect(() => parseArmEndpoint(url)).toThrow(ArmEndpointError);
  });

  it('explains why plain http is refused', () => {
    expect(() => parseArmEndpoint('http://10.0.0.5')).toThrow(/only for loopback addresses.*unencrypted/);
  });

  it('a custom endpoint keeps the cloud authority and gets its own scope', () => {
    const target = resolveCloudTarget('AzureUSGovernment', 'https://management.stack.contoso.example');
    expect(target).toMatchObject({
      cloud: 'https://management.stack.contoso.example', authorityHost: 'https://login.microsoftonline.us',
      armScope: 'https://management.stack.contoso.example/.default',
    });
    expect(resolveCloudTarget('AzurePublicCloud', 'https://arm.example', 'https://aud.example/abc/.default').armScope).toBe('https://aud.example/abc/.default');
  });
});
