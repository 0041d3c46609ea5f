import * as pulumi from "@pulumi/pulumi";
import { fleetStackName, readFleet } from "@platform/contract";
import { TeamApp } from "./app";

// Another team's program: it knows the fleet only through the stack outputs' contract.
const config = new pulumi.Config();
const fleet = readFleet(new pulumi.StackReference(fleetStackName(config.get("fleetStack") ?? "dev")));
const app = new TeamApp("payments", fleet, {
  clusters: config.getObject<string[]>("clusters") ?? ["west", "east"],
  image: "nginx:1.29.3",
});

export const placed = app.placed;
