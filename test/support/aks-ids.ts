/**
 * The resource IDs of one AKS cluster's network as its exports name them: the cluster's VNet and
 * node subnet in its own resource group, and the node resource group (`MC_<rg>_<cluster>_<region>`)
 * holding the node pool's Uniform scale set and the `kubernetes` load balancer.
 */
export function aksIds(subscriptionGuid: string) {
  const SUB = `/subscriptions/${subscriptionGuid}`;
  const RG = 'rg-aks';
  const MC = 'MC_rg-aks_aks-weu_westeurope';
  const NET = `${SUB}/resourceGroups/${RG}/providers/Microsoft.Network`;
  const MC_NET = `${SUB}/resourceGroups/${MC}/providers/Microsoft.Network`;
  const VMSS = `${SUB}/resourceGroups/${MC}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-31337731-vmss`;
  const VNET = `${NET}/virtualNetworks/vnet-aks`;
  const NODES = `${VNET}/subnets/snet-aks-nodes`;
  const LB = `${MC_NET}/loadBalancers/kubernetes`;
  return { SUB, RG, MC, NET, MC_NET, VMSS, VNET, NODES, LB } as const;
}
