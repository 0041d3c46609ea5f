/** EKS clusters in their own VPCs, and how the VPCs reach each other: the prod fleet. */
export { GP3_STORAGE_CLASS } from "./add-ons";
export { CONTROL_PLANE_LOGS, EksCluster, type EksClusterArgs } from "./cluster";
export { isSameRole, roleOf } from "./identity";
export { EDIT_POLICY } from "./cloud-identity";
export { eksClusterName, eksTokenCommand } from "./kubeconfig";
export { type EksPeer } from "./peers";
export { connectVpcs } from "./connectivity";
export { DnsEntry, type DnsEntryArgs, GATEWAY_HEALTH } from "./entry";
export { EksNetwork, type EksNetworkArgs } from "./network";
export { VpcPeeringMesh, type VpcPeeringMeshArgs } from "./peering-mesh";
export { EKS_ENDPOINT_DOMAIN, FleetDns, type FleetDnsArgs } from "./private-dns";
export { type EksServiceAccess, loadBalancerAnnotations } from "./reach";
