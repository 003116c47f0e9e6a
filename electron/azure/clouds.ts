/**
 * Which Azure cloud a pull talks to: the Entra ID authority, the ARM endpoint and the token scope.
 * The three must agree: the v39 SDK's `cloudSetting` changes only the endpoint, never the scope,
 * so every client gets `credentials.scopes` from here.
 * [Clouds] https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 */
import type { CloudName } from '../../shared/ipc/contract';

export interface CloudTarget {
  /** `AzurePublicCloud`, `AzureUSGovernment`, `AzureChinaCloud`, or the custom ARM endpoint. */
  readonly cloud: string;
  readonly authorityHost: string;
  /** ARM base URL without a trailing slash. */
  readonly armEndpoint: string;
  /** The `.default` scope for ARM tokens. */
  readonly armScope: string;
  /** True when the endpoint is plain http on a loopback address (fake ARM, tunnels). */
  readonly insecureLoopback: boolean;
}

export const CLOUDS: Readonly<Record<CloudName, Omit<CloudTarget, 'insecureLoopback'>>> = {
  AzurePublicCloud: {
    cloud: 'AzurePublicCloud',
    authorityHost: 'https://login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.azure.com/.default',
  },
  AzureUSGovernment: {
    cloud: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.usgovcloudapi.net/.default',
  },
  AzureChinaCloud: {
    cloud: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
  },
};

/** CLI spelling → contract name. */
export function parseCloudName(text: string): CloudName | null {
  switch (text.trim().toLowerCase()) {
    case 'public': case 'azurepubliccloud': case 'azurecloud': return 'AzurePublicCloud';
    case 'usgov': case 'azureusgovernment': return 'AzureUSGovernment';
    case 'china': case 'azurechinacloud': return 'AzureChinaCloud';
    default: return null;
  }
}

export class ArmEndpointError extends Error {
  override readonly name = 'ArmEndpointError';
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Validates a custom ARM endpoint (Azure Stack Hub, private clouds, the fake ARM server).
 * Tokens must never travel in clear text over a network, so `http://` is accepted only for a
 * loopback address; everything else must be `https://`.
 */
export function parseArmEndpoint(text: string): { readonly url: string; readonly insecureLoopback: boolean } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ArmEndpointError(`--arm-endpoint: "${text}" is not a URL (expected e.g. https://management.local.azurestack.external).`);
  }
  if (url.protocol === 'https:') return { url: url.origin + url.pathname.replace(/\/+$/, ''), insecureLoopback: false };
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new ArmEndpointError(
        `--arm-endpoint: plain http:// is allowed only for loopback addresses (127.0.0.1, ::1, localhost); ` +
        `"${url.hostname}" would send your access token unencrypted. Use https://.`,
      );
    }
    return { url: url.origin + url.pathname.replace(/\/+$/, ''), insecureLoopback: true };
  }
  throw new ArmEndpointError(`--arm-endpoint: unsupported scheme "${url.protocol}" (expected https://).`);
}

/**
 * The cloud a pull targets. A custom ARM endpoint keeps the chosen cloud's authority; its token
 * scope defaults to `<endpoint origin>/.default` unless `scope` is given (Azure Stack Hub publishes
 * its audience at `<endpoint>/metadata/endpoints`).
 */
export function resolveCloudTarget(cloud: CloudName, armEndpoint?: string | null, scope?: string | null): CloudTarget {
  const base = CLOUDS[cloud];
  if (armEndpoint === undefined || armEndpoint === null || armEndpoint === '') {
    return { ...base, armScope: scope ?? base.armScope, insecureLoopback: false };
  }
  const parsed = parseArmEndpoint(armEndpoint);
  return {
    cloud: parsed.url,
    authorityHost: base.authorityHost,
    armEndpoint: parsed.url,
    armScope: scope ?? `${new URL(parsed.url).origin}/.default`,
    insecureLoopback: parsed.insecureLoopback,
  };
}
