import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { mkdirSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { dirname, join } from "path";
import { readTeamStack, teamStackName } from "../../packages/contract/src";
import { type PublishedFleet, publishTeam, teamStackOutputs } from "../../tools/publish/publish";
import { fakeFleet } from "../teams/team-fleet";
import { engines } from "./support/engines";

// Tier: the real engine decides who can read what. A fleet stack written with the fleet's
// passphrase, a team stack written by `teams:publish` with the team's, and a team's program that
// holds only the team's passphrase: through StackReferences it reads its own stack whole, and of
// the fleet's nothing secret (the engine elides what it cannot decrypt).

/** The outputs the fleet stack makes secret as a whole (stacks/outputs.ts). */
const SECRET = ["kubeconfigs", "karmada", "argocd", "grafana", "readers", "teams"];
const FLEET = "fleet-passphrase-B";
const TEAM = "team-passphrase-A";

let home: string;
let command: PulumiCommand;
let base: Record<string, string>;

beforeAll(async () => {
  const tools = engines(["pulumi"]);
  home = mkdtempSync(join(tmpdir(), "pulumi-teams-"));
  mkdirSync(join(home, "state"));
  base = { PULUMI_HOME: join(home, "home"), PULUMI_BACKEND_URL: `file://${join(home, "state")}`, PULUMI_SKIP_UPDATE_CHECK: "true" };
  command = await PulumiCommand.get({ root: dirname(dirname(tools.pulumi)), skipVersionCheck: true });
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** An inline stack of `project`, written with `passphrase`, with `program`'s outputs. */
function stack(project: string, name: string, passphrase: string, program: () => Promise<Record<string, unknown>>): Promise<Stack> {
  const workDir = join(home, project);
  mkdirSync(workDir, { recursive: true });
  return LocalWorkspace.createOrSelectStack(
    { projectName: project, stackName: name, program },
    { workDir, pulumiCommand: command, secretsProvider: "passphrase", envVars: { ...base, PULUMI_CONFIG_PASSPHRASE: passphrase } },
  );
}

/** A stack's outputs by name, secrets as their values or as the engine left them. */
async function outputs(s: Stack): Promise<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(await s.outputs()).map(([key, { value }]) => [key, value]));
}

test("a team reads its own stack with its passphrase, and nothing secret of the fleet's", async () => {
  // The fleet, as `pulumi up` leaves it: its secret outputs encrypted with the fleet's passphrase.
  const published = await fakeFleet();
  const fleet = await stack("platform", "dev", FLEET, async () =>
    Object.fromEntries(Object.entries(published).map(([key, value]) => [key, SECRET.includes(key) ? pulumi.secret(value) : value])),
  );
  await fleet.up();

  // The platform team publishes, holding both passphrases (the team's in its variable).
  const read = (await outputs(fleet)) as unknown as PublishedFleet;
  expect(read.teams.payments.kubeconfigs).toEqual({ west: "TOKEN payments west" });
  const team = { name: "payments", namespaces: ["payments"], secretsProvider: "passphrase" } as Parameters<typeof publishTeam>[1];
  const env = { PULUMI_CONFIG_PASSPHRASE: FLEET, PLATFORM_TEAM_PASSPHRASE_PAYMENTS: TEAM };
  await publishTeam("dev", team, teamStackOutputs(read, team), env, { pulumiCommand: command, envVars: { ...base } });

  // The team's program, holding only the team's passphrase.
  const reader = await stack("team-app", "read", TEAM, async () => {
    const own = readTeamStack(new pulumi.StackReference(teamStackName("dev", "payments")));
    const fleetRef = new pulumi.StackReference("organization/platform/dev");
    return {
      kubeconfigs: own.kubeconfigs,
      karmadaKubeconfig: own.karmadaKubeconfig,
      clusters: own.clusters.apply((c) => Object.keys(c).sort()),
      fleetKubeconfigs: fleetRef.getOutput("kubeconfigs"),
      fleetTeams: fleetRef.getOutput("teams"),
      fleetClusters: fleetRef.getOutput("clusters").apply((c) => Object.keys(c ?? {}).sort()),
    };
  });
  await reader.up();
  const seen = await outputs(reader);
  expect(seen.kubeconfigs).toEqual({ west: "TOKEN payments west" });
  expect(seen.karmadaKubeconfig).toBe("TOKEN payments karmada");
  expect(seen.clusters).toEqual(["east", "mgmt", "west"]);
  // The fleet's plain outputs are readable; its secrets are not: no admin credential, no other team's.
  expect(seen.fleetClusters).toEqual(["east", "mgmt", "west"]);
  expect(JSON.stringify([seen.fleetKubeconfigs, seen.fleetTeams])).not.toMatch(/ADMIN|TOKEN/);
  console.log(`the team's program saw of the fleet's secrets: ${JSON.stringify([seen.fleetKubeconfigs, seen.fleetTeams])}`);
});
