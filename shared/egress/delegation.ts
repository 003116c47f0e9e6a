/**
 * Subnets delegated to an Azure service: the one place that knows when a delegated subnet does not
 * decide its own internet traffic, and why.
 *
 * - Default outbound access is what Azure gives "a virtual machine (VM) ... without an explicitly
 *   defined outbound connectivity method"; for delegated subnets "outbound connectivity is managed
 *   by the individual service" [DOA] (azure-docs articles/virtual-network/ip-services/default-outbound-access.md).
 *   With no NAT gateway or route that decides, the exit is the service's own egress, which the input
 *   does not hold: unknown, naming the service (serviceManagedOutbound).
 * - App Service / Functions VNet integration (Microsoft.Web/serverFarms): "If all traffic routing
 *   isn't enabled, only private traffic (RFC1918) and service endpoints configured on the integration
 *   subnet will be sent into the virtual network and outbound traffic to the internet will go through
 *   the same channels as normal"; "When Route All isn't enabled, NSGs are only applied to RFC1918
 *   traffic" [APPVNET] (azure-docs articles/app-service/overview-vnet-integration.md). Route All is a
 *   setting of each app (vnetRouteAllEnabled, outboundVnetRouting.applicationTraffic), not of the
 *   subnet: for any other destination the subnet's NAT gateway, route table and NSG decide nothing
 *   the input can show (routeAllDelegation).
 * - A StandardV2 NAT gateway "doesn't support and can't be attached to delegated subnets" of a list
 *   of services [NATOV] (azure-docs articles/nat-gateway/nat-overview.md, "Key limitations of
 *   StandardV2"): standardV2UnsupportedServices.
 */
import type { NatGateway, Subnet } from '../model/topology';
import { DOCS, VERIFY } from './docs';
import type { OutboundMethod } from './outbound';
import type { TerminalReason } from './steps';

export const DELEGATION_DOCS = {
  appServiceRouting: 'https://learn.microsoft.com/azure/app-service/overview-vnet-integration#application-routing',
  containerAppsManagedResources: 'https://learn.microsoft.com/azure/container-apps/custom-virtual-networks#managed-resources',
  natGatewayStandardV2: 'https://learn.microsoft.com/azure/nat-gateway/nat-overview#key-limitations-of-standardv2-nat-gateway',
} as const;

/** App Service plans' regional VNet integration (web apps, Functions, Logic Apps Standard) [APPVNET]. */
const APP_SERVICE = 'microsoft.web/serverfarms';
/** Container Apps workload-profiles environments [ACAVNET]. */
const CONTAINER_APPS = 'microsoft.app/environments';

/**
 * The delegations a StandardV2 NAT gateway "doesn't support and can't be attached to" [NATOV]:
 * Azure SQL Managed Instance, Azure Container Instances, Azure Database for PostgreSQL (flexible
 * server) and for MySQL (flexible server, and the older serversv2 delegation of each), Microsoft
 * Power Platform, Azure Stream Analytics, Azure Container Apps, Web Apps of Azure App Service and
 * Azure DNS Private Resolver. Azure Data Factory (data movement) is on the list too, but which
 * delegation its subnets carry is not in our sources, so it is not matched (no guessed name).
 * Lower case: ARM does not guarantee the casing of serviceName.
 */
const STANDARD_V2_UNSUPPORTED: ReadonlySet<string> = new Set([
  'microsoft.sql/managedinstances',
  'microsoft.containerinstance/containergroups',
  'microsoft.dbforpostgresql/flexibleservers',
  'microsoft.dbforpostgresql/serversv2',
  'microsoft.dbformysql/flexibleservers',
  'microsoft.dbformysql/serversv2',
  'microsoft.powerplatform/enterprisepolicies',
  'microsoft.streamanalytics/streamingjobs',
  CONTAINER_APPS,
  APP_SERVICE,
  'microsoft.network/dnsresolvers',
]);

/** The subnet's delegation to App Service VNet integration (as the input spells it), or null [APPVNET]. */
export function routeAllDelegation(subnet: Subnet): string | null {
  return subnet.delegations.find((d) => d.toLowerCase() === APP_SERVICE) ?? null;
}

/** The subnet's delegations a StandardV2 NAT gateway cannot be attached to [NATOV] (empty for any other NAT gateway). */
export function standardV2UnsupportedServices(subnet: Subnet, nat: NatGateway): readonly string[] {
  if (nat.skuName !== 'StandardV2') return [];
  return subnet.delegations.filter((d) => STANDARD_V2_UNSUPPORTED.has(d.toLowerCase()));
}

/** What each service's own egress is, in words, and the command that shows it. */
function serviceEgress(subnet: Subnet, service: string): { readonly what: string; readonly docs: string; readonly verify: string } {
  switch (service.toLowerCase()) {
    case APP_SERVICE:
      return {
        what: 'the outbound addresses of the apps integrated into it (each app\'s outboundIpAddresses: "The outbound addresses that are listed in the app properties portal are the addresses still used by your app")',
        docs: DELEGATION_DOCS.appServiceRouting, verify: VERIFY.appServiceApps(subnet.name),
      };
    case CONTAINER_APPS:
      return {
        // Flex Consumption function apps integrate through the same delegation: named too, never guessed away.
        what: 'the egress of the service using it: a Container Apps environment\'s egress public IP (a Standard public IP the platform creates in the environment\'s managed resource group, ME_…), or, for a Flex Consumption function app integrated there, the app\'s outbound addresses',
        docs: DELEGATION_DOCS.containerAppsManagedResources, verify: VERIFY.containerAppsEnvironments(subnet.name),
      };
    default:
      return { what: `the egress ${service} configures for its resources`, docs: DOCS.defaultOutbound, verify: VERIFY.delegatedSubnet(subnet.id) };
  }
}

/**
 * A delegated subnet's answer where a VM would get default outbound access (or none, in a private
 * subnet): "Private subnets aren't applicable to delegated or managed subnets used for hosting PaaS
 * services. In these scenarios, outbound connectivity is managed by the individual service" [DOA].
 * The service's egress is not in the input: unknown, naming it. Null for a subnet with no delegation.
 */
export function serviceManagedOutbound(subnet: Subnet): Extract<OutboundMethod, { kind: 'undecided' }> | null {
  const [service, ...more] = subnet.delegations;
  if (service === undefined) return null;
  const egress = serviceEgress(subnet, service);
  const services = [service, ...more].join(', ');
  return {
    kind: 'undecided', resourceId: subnet.id, rule: serviceManagedRule(subnet), docs: egress.docs, verify: egress.verify, misconfiguration: null,
    missingFact: `what internet traffic from subnet ${subnet.name} leaves from: the subnet is delegated to ${services}, and no NAT gateway or route sends it elsewhere, so its outbound connectivity is managed by the service (Azure's default outbound access is for virtual machines, and private-subnet settings do not apply to delegated subnets); `
      + `it leaves from ${egress.what}, which the input does not hold`,
  };
}

function serviceManagedRule(subnet: Subnet): string {
  return `Subnet ${subnet.name}: delegated to ${subnet.delegations.join(', ')}, outbound managed by the service`;
}

/** Whether a walk ended at serviceManagedOutbound for this subnet (its path is the service's own egress). */
export function endsAtServiceEgress(subnet: Subnet, end: TerminalReason): boolean {
  return end.kind === 'undecided' && subnet.delegations.length > 0 && end.rule === serviceManagedRule(subnet);
}
