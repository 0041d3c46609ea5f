import * as pulumi from "@pulumi/pulumi";
import { type ClusterOutput, fleetStackName, type FleetOutputs, readFleet, workloadClusters } from "@platform/contract";
import { kubeconfigOf, TeamApp } from "../../examples/team-app/app";
import { named, ofType, plain, type Recorded, runProgram, secretValue, valueOf } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";

// Another team's program against a mocked fleet stack: everything it knows comes through the
// StackReference, typed by @platform/contract.
const cluster = (name: string, role: "management" | "workload", region: string): ClusterOutput => ({
  name, role, provider: "kind", region, network: name, labels: { cluster: name }, podCidr: "", serviceCidr: "", endpoint: "", internalEndpoint: "",
});
const FLEET: Partial<FleetOutputs> = {
  clusters: { mgmt: cluster("mgmt", "management", "local"), west: cluster("west", "workload", "us-west"), east: cluster("east", "workload", "us-east") },
  kubeconfigs: { mgmt: "KUBECONFIG mgmt", west: "KUBECONFIG west", east: "KUBECONFIG east" },
};
const stackReference = (args: pulumi.runtime.MockResourceArgs) =>
  args.type === "pulumi:pulumi:StackReference"
    ? { name: args.inputs.name, outputs: FLEET, secretOutputNames: ["kubeconfigs", "karmada", "argocd", "grafana"] }
    : undefined;

let resources: Recorded[];
let result: { app: TeamApp; workloads: pulumi.Output<{ name: string }[]>; kubeconfigs: pulumi.Output<Record<string, string>> };

beforeAll(async () => {
  const run = await runProgram({
    stack: "team",
    outputs: stackReference,
    program: () => {
      const ref = new pulumi.StackReference(fleetStackName("dev"));
      const fleet = readFleet(ref);
      const app = new TeamApp("payments", fleet, { clusters: ["west", "east"], image: "nginx:1.29.3" });
      return { app, workloads: workloadClusters(fleet), kubeconfigs: fleet.kubeconfigs };
    },
  });
  resources = run.resources;
  result = run.result;
});

test("the fleet stack is named the way a self-managed backend finds it", () => {
  expect(fleetStackName("prod")).toBe("organization/platform/prod");
  expect(fleetStackName("prod", { organization: "acme" })).toBe("acme/platform/prod");
  expect(plain(named(resources, "pulumi:pulumi:StackReference", "organization/platform/dev").inputs).name).toBe("organization/platform/dev");
});

test("the reader is typed by the contract and keeps the fleet's secrets secret", async () => {
  expect((await valueOf(result.workloads)).map((c) => c.name)).toEqual(["east", "west"]);
  expect(await pulumi.isSecret(result.kubeconfigs)).toBe(true);
});

test("each targeted cluster gets its provider from the fleet's kubeconfig, a namespace, a quota and the app", () => {
  for (const c of ["west", "east"]) {
    const provider = named(resources, "pulumi:providers:kubernetes", `payments-${c}`);
    expect(secretValue(provider.inputs.kubeconfig)).toBe(`KUBECONFIG ${c}`);
    for (const [type, role] of [
      ["kubernetes:core/v1:Namespace", "namespace"],
      ["kubernetes:core/v1:ResourceQuota", "quota"],
      ["kubernetes:apps/v1:Deployment", "app"],
      ["kubernetes:core/v1:Service", "service"],
    ]) {
      const object = named(resources, type, `payments-${c}-${role}`);
      expect(object.providers).toEqual([`payments-${c}`]);
      validateK8s(object);
    }
  }
  expect(plain(named(resources, "kubernetes:core/v1:ResourceQuota", "payments-west-quota").inputs).spec.hard).toEqual({
    "requests.cpu": "2",
    "requests.memory": "4Gi",
    pods: "20",
  });
  expect(ofType(resources, "pulumi:providers:kubernetes").map((p) => p.name)).toEqual(["payments-west", "payments-east"]);
});

test("where the app runs comes back from the fleet's own data", async () => {
  expect(await valueOf(result.app.placed)).toEqual({
    west: { region: "us-west", service: "payments.payments.svc.cluster.local" },
    east: { region: "us-east", service: "payments.payments.svc.cluster.local" },
  });
});

test("a cluster the fleet does not run as a workload cluster is refused by name", () => {
  const clusters = FLEET.clusters as FleetOutputs["clusters"];
  const kubeconfigs = FLEET.kubeconfigs as FleetOutputs["kubeconfigs"];
  expect(kubeconfigOf(clusters, kubeconfigs, "east")).toBe("KUBECONFIG east");
  expect(() => kubeconfigOf(clusters, kubeconfigs, "north")).toThrow("the fleet has no workload cluster north; its workload clusters are west, east");
  expect(() => kubeconfigOf(clusters, kubeconfigs, "mgmt")).toThrow("the fleet has no workload cluster mgmt");
});
