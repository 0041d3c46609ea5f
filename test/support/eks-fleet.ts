import { planFleet } from "../../plan";

/** Four EKS VPCs in two regions through Transit Gateways, every VPC in the pool (one range): a hub and a member in us-west-2, two members in us-east-1. */
export function twoRegionFleet() {
  return planFleet({
    environment: "big",
    eks: { publicAccessCidrs: ["203.0.113.0/24"], connectivity: "transitGateway" },
    clusters: [
      { name: "hub", role: "management", provider: "eks", region: "us-west-2" },
      { name: "w1", role: "workload", provider: "eks", region: "us-west-2" },
      { name: "e1", role: "workload", provider: "eks", region: "us-east-1" },
      { name: "e2", role: "workload", provider: "eks", region: "us-east-1" },
    ],
  });
}
