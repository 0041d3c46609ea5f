/** Prod-like fleets of any size for the benchmark: one management cluster and n workload clusters. */

/** What `npm run bench` evaluates, in order: EKS fleets of 1 + n clusters, and a kind fleet. */
export const FLEETS: ["dev" | "prod", number][] = [["prod", 3], ["prod", 10], ["prod", 25], ["prod", 39], ["prod", 50], ["prod", 99], ["dev", 12]];

const REGIONS = ["us-west-2", "us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"];

/** Config of an EKS fleet of 1 + n clusters over up to five regions, quotas raised as such a fleet would have them. */
export function eksFleet(workloads: number): Record<string, unknown> {
  const clusters = [
    { name: "mgmt", role: "management", provider: "eks", region: REGIONS[0], slot: 0 },
    ...Array.from({ length: workloads }, (_, i) => ({ name: `w${i + 1}`, role: "workload", provider: "eks", region: REGIONS[(i + 1) % REGIONS.length], slot: i + 1 })),
  ];
  const perRegion = Math.ceil(clusters.length / Math.min(REGIONS.length, clusters.length)) + 1;
  return {
    "platform:environment": "bench",
    "platform:network": { pools: { vpc: "10.0.0.0/8", service: "172.16.0.0/12" }, prefixes: { vpc: 16, service: 20 } },
    "platform:eks": {
      publicAccessCidrs: ["203.0.113.0/24"],
      protect: false,
      // A Resolver inbound endpoint per VPC and an outbound one per region (private API names).
      quotas: { vpcsPerRegion: perRegion, elasticIpsPerRegion: perRegion, resolverEndpointsPerRegion: perRegion + 1, rulesPerSecurityGroup: 200 },
    },
    "platform:clusters": clusters,
  };
}

/** Config of a kind fleet of 1 + n clusters on one workstation. */
export function kindFleet(workloads: number): Record<string, unknown> {
  return {
    "platform:environment": "bench",
    "platform:composition": "dev",
    "platform:network": { kindNetworkCidr: "172.18.0.0/16", pools: { lb: "172.18.240.0/20" } },
    "platform:clusters": [
      { name: "mgmt", role: "management", provider: "kind", slot: 0, nodes: { workers: 1 } },
      ...Array.from({ length: workloads }, (_, i) => ({ name: `k${i + 1}`, role: "workload", provider: "kind", slot: i + 1, region: `r${i % 3}` })),
    ],
  };
}
