import * as pulumi from "@pulumi/pulumi";
import type { EksSettings } from "../../plan";
import type { EksNetwork } from "./network";
import { VpcPeeringMesh } from "./peering-mesh";

/**
 * The one seam for how the fleet's VPCs reach each other. Today a full mesh of peerings; a
 * Transit Gateway for large fleets is another case here, with nothing else to change.
 */
export function connectVpcs(
  name: string,
  connectivity: EksSettings["connectivity"],
  networks: EksNetwork[],
): pulumi.ComponentResource {
  switch (connectivity) {
    case "peering":
      return new VpcPeeringMesh(name, { networks });
  }
}
