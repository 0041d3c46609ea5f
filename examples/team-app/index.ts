import * as pulumi from "@pulumi/pulumi";
import { readTeamStack, teamStackName } from "@platform/contract";
import { TeamApp } from "./app";

// Another team's program: it reads the fleet through its own team stack, which the platform team
// publishes with the team's secrets provider (docs/teams.md): this program never holds the fleet's
// passphrase, only its own (PULUMI_CONFIG_PASSPHRASE) or its key.
const config = new pulumi.Config();
const team = readTeamStack(new pulumi.StackReference(teamStackName(config.get("fleetStack") ?? "dev", config.get("team") ?? "payments")));
const app = new TeamApp("payments", team, {
  clusters: config.getObject<string[]>("clusters") ?? ["west"],
  image: "nginx:1.29.3",
});

export const placed = app.placed;
