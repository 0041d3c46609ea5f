import * as pulumi from "@pulumi/pulumi";
import { readTeamStack, TEAM_PUBLIC_OUTPUTS, TEAM_SECRET_OUTPUTS } from "@platform/contract";
import { passphraseVariable, teamProgram, teamStackEnv, teamStackOutputs } from "../../tools/publish/publish";
import { valueOf } from "../support/harness";
import { fakeFleet, paymentsStack } from "./team-fleet";

// What `npm run teams:publish` writes into a team's stack, from the fleet's real output shape:
// the fleet's public outputs and the team's own access, nothing else.
test("a team's stack holds the fleet's public outputs and the team's own access, no admin credential and no other team's", async () => {
  const fleet = await fakeFleet();
  const outputs = await paymentsStack();
  expect(Object.keys(outputs).sort()).toEqual([...TEAM_PUBLIC_OUTPUTS, ...TEAM_SECRET_OUTPUTS, "team", "namespaces", "argocdProject"].sort());
  for (const key of TEAM_PUBLIC_OUTPUTS) expect(outputs[key]).toEqual(fleet[key]);
  expect(outputs).toMatchObject({ team: "payments", namespaces: ["payments"], argocdProject: "payments" });
  expect(outputs.kubeconfigs).toEqual({ west: "TOKEN payments west" });
  expect(outputs.karmadaKubeconfig).toBe("TOKEN payments karmada");
  const text = JSON.stringify(outputs);
  expect(text).not.toMatch(/ADMIN|shop/);
  for (const key of ["karmada", "argocd", "grafana", "readers", "teams"]) expect(outputs).not.toHaveProperty(key);
});

test("a team the fleet has not set up is refused with the teams it has", async () => {
  await expect(fakeFleet().then((fleet) => teamStackOutputs(fleet, { name: "ops", namespaces: ["ops"] }))).rejects.toThrow(
    "the fleet has no team ops in its teams output (it has payments, shop): run pulumi up first",
  );
});

test("the inline program exports the team's credentials as secrets and the rest in the clear", async () => {
  const outputs = await paymentsStack();
  const exported = (await teamProgram(outputs)()) as Record<string, unknown>;
  expect(Object.keys(exported).sort()).toEqual(Object.keys(outputs).sort());
  for (const [key, value] of Object.entries(exported)) {
    const secret = (TEAM_SECRET_OUTPUTS as readonly string[]).includes(key);
    expect([key, pulumi.Output.isInstance(value) && (await pulumi.isSecret(value))]).toEqual([key, secret]);
    expect(pulumi.Output.isInstance(value) ? await valueOf(value) : value).toEqual(outputs[key as keyof typeof outputs]);
  }
});

test("the contract's reader reads every output a team's stack has", async () => {
  const none = () => pulumi.output(undefined);
  expect(Object.keys(readTeamStack({ getOutput: none, requireOutput: none })).sort()).toEqual(Object.keys(await paymentsStack()).sort());
});

test("a team's stack is written with the team's passphrase, never without it nor with the fleet's", () => {
  expect(passphraseVariable("data-science")).toBe("PLATFORM_TEAM_PASSPHRASE_DATA_SCIENCE");
  const team = { name: "payments", secretsProvider: "passphrase" };
  expect(teamStackEnv(team, { PLATFORM_TEAM_PASSPHRASE_PAYMENTS: "team", PULUMI_CONFIG_PASSPHRASE: "fleet" })).toEqual({
    PULUMI_CONFIG_PASSPHRASE: "team",
    PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
  });
  expect(() => teamStackEnv(team, { PULUMI_CONFIG_PASSPHRASE: "fleet" })).toThrow("set PLATFORM_TEAM_PASSPHRASE_PAYMENTS");
  expect(() => teamStackEnv(team, { PLATFORM_TEAM_PASSPHRASE_PAYMENTS: "fleet", PULUMI_CONFIG_PASSPHRASE: "fleet" })).toThrow(
    "PLATFORM_TEAM_PASSPHRASE_PAYMENTS is the fleet's passphrase: give team payments its own",
  );
  // A key's provider takes no passphrase.
  expect(teamStackEnv({ name: "payments", secretsProvider: "awskms://alias/payments" }, { PULUMI_CONFIG_PASSPHRASE: "fleet" })).toEqual({
    PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
  });
});
