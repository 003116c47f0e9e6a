/**
 * Sign-in. The desktop app uses the system browser (InteractiveBrowserCredential, auth code + PKCE
 * on a loopback redirect); the CLI also offers device code, the Azure CLI's session, and the
 * environment (service principal or workload identity for pipelines). `--access-token` wraps a
 * token the user already has. Tokens stay in the main process.
 * [@azure/identity] https://learn.microsoft.com/javascript/api/overview/azure/identity-readme
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import {
  AzureCliCredential, DeviceCodeCredential, EnvironmentCredential, InteractiveBrowserCredential,
  WorkloadIdentityCredential, type DeviceCodeInfo,
} from '@azure/identity';
import type { CloudTarget } from './clouds';

export type AuthMethod = 'browser' | 'device-code' | 'cli' | 'env';

export const AUTH_METHODS: readonly AuthMethod[] = ['browser', 'device-code', 'cli', 'env'];

export interface CredentialOptions {
  readonly auth: AuthMethod;
  readonly tenantId: string | null;
  readonly target: CloudTarget;
  /** A pre-obtained ARM access token (`--access-token`): wins over `auth`. */
  readonly accessToken?: string | null;
  /** Your own app registration; default: the Azure developer sign-on client. */
  readonly clientId?: string;
  /** Where to show the device code (CLI: stderr). */
  readonly onDeviceCode?: (info: { readonly message: string; readonly userCode: string; readonly verificationUri: string }) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** `exp` of a JWT access token in ms, or null when the token is opaque. */
export function jwtExpiryMs(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const json: unknown = JSON.parse(Buffer.from(payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
    const exp = typeof json === 'object' && json !== null && 'exp' in json ? json.exp : undefined;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** A TokenCredential that always returns the given token (it cannot refresh it). */
export function staticTokenCredential(token: string, now: () => number = Date.now): TokenCredential {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  return {
    getToken: async (): Promise<AccessToken> => ({
      token: trimmed,
      // Opaque tokens: assume the usual one hour; an expired token fails with a clear 401 gap.
      expiresOnTimestamp: jwtExpiryMs(trimmed) ?? now() + 3_600_000,
    }),
  };
}

export function createCredential(options: CredentialOptions): TokenCredential {
  if (options.accessToken !== undefined && options.accessToken !== null && options.accessToken.trim() !== '') {
    return staticTokenCredential(options.accessToken);
  }
  const authorityHost = options.target.authorityHost;
  const tenantId = options.tenantId ?? undefined;
  switch (options.auth) {
    case 'browser':
      return new InteractiveBrowserCredential({
        authorityHost,
        ...(tenantId ? { tenantId } : {}),
        ...(options.clientId ? { clientId: options.clientId } : {}),
      });
    case 'device-code':
      return new DeviceCodeCredential({
        authorityHost,
        ...(tenantId ? { tenantId } : {}),
        ...(options.clientId ? { clientId: options.clientId } : {}),
        ...(options.onDeviceCode ? { userPromptCallback: (info: DeviceCodeInfo) => options.onDeviceCode?.(info) } : {}),
      });
    case 'cli':
      return new AzureCliCredential(tenantId ? { tenantId } : {});
    case 'env': {
      // A federated token file means workload identity (GitHub Actions, AKS); else a service principal.
      const env = options.env ?? process.env;
      if (env['AZURE_FEDERATED_TOKEN_FILE']) {
        const clientId = env['AZURE_CLIENT_ID'];
        const tenant = tenantId ?? env['AZURE_TENANT_ID'];
        return new WorkloadIdentityCredential({
          authorityHost, tokenFilePath: env['AZURE_FEDERATED_TOKEN_FILE'],
          ...(clientId ? { clientId } : {}), ...(tenant ? { tenantId: tenant } : {}),
        });
      }
      return new EnvironmentCredential({ authorityHost });
    }
  }
}
