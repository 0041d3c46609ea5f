import * as pulumi from "@pulumi/pulumi";
import {
  assertCompatibleFleet,
  CONTRACT_VERSION,
  type Fleet,
  type FleetOutputs,
  type FleetReference,
  fleetStackName,
  readFleet,
  workloadClusters,
} from "@platform/contract";

// Another team's program, as `test/contract/pack.sh` compiles it against the packed contract with
// the team's own @pulumi/pulumi: its StackReference is the contract's FleetReference, whatever
// copy of the SDK either was built with.
const ref = new pulumi.StackReference(fleetStackName("prod", { organization: "acme" }));
const fleet: Fleet = readFleet(ref);
export const reference: FleetReference = ref;
export const kubeconfigs = pulumi
  .all([workloadClusters(fleet), fleet.kubeconfigs])
  .apply(([clusters, byName]) => clusters.map((c) => byName[c.name]));
export const mode: pulumi.Output<FleetOutputs["mesh"]["mode"]> = fleet.mesh.apply((mesh) => mesh.mode);
export const version = fleet.contractVersion.apply((v) => assertCompatibleFleet(v) ?? CONTRACT_VERSION);
