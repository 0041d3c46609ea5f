/** EKS clusters in their own VPCs, and how the VPCs reach each other: the prod fleet. */
export { CONTROL_PLANE_LOGS, EksCluster, type EksClusterArgs, eksClusterName, type EksPeer, eksTokenCommand } from "./cluster";
export { connectVpcs } from "./connectivity";
export { EksNetwork, type EksNetworkArgs } from "./network";
export { VpcPeeringMesh, type VpcPeeringMeshArgs } from "./peering-mesh";
export { type EksServiceAccess, loadBalancerAnnotations } from "./reach";
