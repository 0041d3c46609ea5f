import * as k8s from "@pulumi/kubernetes";
import { Karmada, rewriteKubeconfig } from "../components/karmada";
import { fakeCluster, fakeKindKubeconfig, named, plain, Recorded, runProgram } from "./harness";

let resources: Recorded[];

beforeAll(async () => {
  const run = await runProgram({
    stack: "dev",
    program: () => {
      const karmada = new Karmada("k", {
        host: fakeCluster("hub", { role: "management" }),
        members: [fakeCluster("spoke", { region: "eu", labels: { cluster: "spoke", tier: "gold" } })],
        exposure: { kind: "nodePort" },
        hostPort: 35999,
      });
      // A workload template as app placement will create it.
      new k8s.apps.v1.Deployment(
        "web",
        {
          metadata: { name: "web", namespace: "apps", annotations: { team: "a" } },
          spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.29" }] } } },
        },
        karmada.templateOptions,
      );
    },
  });
  resources = run.resources;
});

test("workload templates go to the Karmada API and are not awaited", () => {
  const web = named(resources, "kubernetes:apps/v1:Deployment", "web");
  expect(web.providers).toEqual(["k-api"]);
  expect(plain(web.inputs).metadata.annotations).toEqual({ team: "a", "pulumi.com/skipAwait": "true" });
});

test("the member's Cluster carries its region and every label for placement", () => {
  const cluster = plain(named(resources, "kubernetes:cluster.karmada.io/v1alpha1:Cluster", "k-spoke-cluster").inputs);
  expect(cluster.metadata.labels).toEqual({ cluster: "spoke", tier: "gold" });
  expect(cluster.spec.region).toBe("eu");
  expect(named(resources, "kubernetes:cluster.karmada.io/v1alpha1:Cluster", "k-spoke-cluster").dependsOn).toEqual([
    "k-spoke-secret",
    "k-spoke-impersonator-secret",
  ]);
});

test("the chart's kubeconfig is rebuilt for the reachable server, keeping its credentials", () => {
  const rebuilt = JSON.parse(rewriteKubeconfig(fakeKindKubeconfig("karmada-apiserver"), "https://127.0.0.1:35999"));
  expect(rebuilt.clusters[0]).toEqual({
    name: "karmada-apiserver",
    cluster: { server: "https://127.0.0.1:35999", "certificate-authority-data": Buffer.from("CA of karmada-apiserver").toString("base64") },
  });
  expect(() => rewriteKubeconfig("apiVersion: v1\nclusters: []\n", "https://x")).toThrow("has no CA or client certificate");
});
