import type * as pulumi from "@pulumi/pulumi";
import type { EksConnectivity } from "../../plan";
import type { EksNetwork } from "./network";
import { VpcPeeringMesh } from "./peering-mesh";
import { TransitGatewayMesh } from "./transit-gateway";

/**
 * The one seam for how the fleet's VPCs reach each other: a full mesh of peerings for small
 * fleets, Transit Gateways (a gateway per region, linear in the clusters) for large ones.
 */
export function connectVpcs(
  name: string,
  connectivity: EksConnectivity,
  networks: EksNetwork[],
  fleetRanges: readonly string[],
): pulumi.ComponentResource {
  switch (connectivity) {
    case "peering":
      return new VpcPeeringMesh(name, { networks });
    case "transitGateway":
      return new TransitGatewayMesh(name, { networks, fleetRanges });
  }
}
