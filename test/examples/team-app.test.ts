import * as pulumi from "@pulumi/pulumi";
import { readTeamStack, TEAM_SECRET_OUTPUTS, type TeamStackOutputs, teamStackName } from "@platform/contract";
import { kubeconfigOf, namespaceOf, TeamApp } from "../../examples/team-app/app";
import { named, ofType, plain, type Recorded, runProgram, secretValue, valueOf } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";
import { paymentsStack } from "../teams/team-fleet";

// Another team's program against a mocked team stack, as `npm run teams:publish` writes it from a
// fleet: everything it knows comes through that StackReference, typed by @platform/contract.
let stack: TeamStackOutputs;
let resources: Recorded[];
let result: { app: TeamApp; kubeconfigs: pulumi.Output<Record<string, string>>; clusters: pulumi.Output<unknown> };

beforeAll(async () => {
  stack = await paymentsStack();
  const run = await runProgram({
    stack: "payments",
    outputs: (args) =>
      args.type === "pulumi:pulumi:StackReference" && args.inputs.name === teamStackName("dev", "payments")
        ? { name: args.inputs.name, outputs: stack, secretOutputNames: [...TEAM_SECRET_OUTPUTS] }
        : undefined,
    program: () => {
      const team = readTeamStack(new pulumi.StackReference(teamStackName("dev", "payments")));
      const app = new TeamApp("payments", team, { clusters: ["west"], image: "nginx:1.29.3" });
      return { app, kubeconfigs: team.kubeconfigs, clusters: team.clusters };
    },
  });
  resources = run.resources;
  result = run.result;
});

test("the team stack is named the way a self-managed backend finds it, in the project of team stacks", () => {
  expect(teamStackName("prod", "shop")).toBe("organization/platform-teams/prod-shop");
  expect(teamStackName("prod", "shop", { organization: "acme" })).toBe("acme/platform-teams/prod-shop");
  expect(ofType(resources, "pulumi:pulumi:StackReference").map((r) => r.name)).toEqual(["organization/platform-teams/dev-payments"]);
});

test("the reader is typed by the contract and keeps the team's credentials secret, the fleet's public outputs in the clear", async () => {
  expect(await valueOf(result.kubeconfigs)).toEqual({ west: "TOKEN payments west" });
  expect(await pulumi.isSecret(result.kubeconfigs)).toBe(true);
  expect(await pulumi.isSecret(result.clusters)).toBe(false);
});

test("each targeted cluster gets its provider from the team's own kubeconfig, and the app in the team's namespace", () => {
  const provider = named(resources, "pulumi:providers:kubernetes", "payments-west");
  expect(secretValue(provider.inputs.kubeconfig)).toBe("TOKEN payments west");
  for (const [type, role] of [
    ["kubernetes:apps/v1:Deployment", "app"],
    ["kubernetes:core/v1:Service", "service"],
  ]) {
    const object = named(resources, type, `payments-west-${role}`);
    expect(object.providers).toEqual(["payments-west"]);
    expect(plain(object.inputs).metadata.namespace).toBe("payments");
    validateK8s(object);
  }
  // The namespace and its quota are the platform's: the team's `edit` could not make them.
  expect(ofType(resources, "kubernetes:core/v1:Namespace")).toEqual([]);
  expect(ofType(resources, "kubernetes:core/v1:ResourceQuota")).toEqual([]);
  expect(ofType(resources, "pulumi:providers:kubernetes").map((p) => p.name)).toEqual(["payments-west"]);
});

test("where the app runs comes back from the fleet's own data", async () => {
  expect(await valueOf(result.app.placed)).toEqual({ west: { region: "us-west", service: "payments.payments.svc.cluster.local" } });
});

test("a cluster the team is not on, or a namespace not its, is refused by name", () => {
  expect(kubeconfigOf(stack.kubeconfigs, "west")).toBe("TOKEN payments west");
  expect(() => kubeconfigOf(stack.kubeconfigs, "east")).toThrow("the team is not on cluster east; its clusters are west");
  expect(namespaceOf(["payments", "jobs"])).toBe("payments");
  expect(namespaceOf(["payments", "jobs"], "jobs")).toBe("jobs");
  expect(() => namespaceOf(["payments"], "shop")).toThrow("shop is not a namespace of the team; its namespaces are payments");
});
