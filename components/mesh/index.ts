/** The Istio multi-primary, multi-network mesh over the workload clusters. */
export { type IntermediateCa, MeshCa, type MeshCaArgs } from "./ca";
export {
  ambientEastWestGateway,
  cniValues,
  crossNetworkGateway,
  EAST_WEST_PORTS,
  eastWestValues,
  ISTIO_NAMESPACE,
  IstioCluster,
  type IstioClusterArgs,
  istiodValues,
  NETWORK_LABEL,
  strictMtls,
  ztunnelValues,
} from "./istio";
export { meshEnrollmentLabels } from "./enrollment";
export { FLEET_INGRESS, FLEET_WAYPOINT, fleetIngressGateway, fleetWaypoint, INGRESS_GATEWAY, INGRESS_PORTS, ingressGatewayValues } from "./ingress";
export { Mesh, type MeshArgs, type MeshClusterInfo } from "./mesh";
export { ISTIO_READER, REMOTE_SECRETS, remoteSecrets } from "./remote-secret";
