import * as k8s from "@pulumi/kubernetes";
import { Karmada, rewriteKubeconfig } from "../../components/management";
import { fakeCluster, fakeKindKubeconfig, named, plain, Recorded, runProgram, secretValue } from "../support/harness";

let resources: Recorded[];

beforeAll(async () => {
  const run = await runProgram({
    stack: "dev",
    program: () => {
      const karmada = new Karmada("k", {
        host: fakeCluster("hub", { role: "management" }),
        members: [fakeCluster("spoke", { region: "eu", labels: { cluster: "spoke", tier: "gold" } })],
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

test("the API Service, its certificate hosts and Pulumi's provider follow what the host cluster answers", () => {
  const values = plain(named(resources, "kubernetes:helm.sh/v3:Release", "k-release").inputs).values;
  // fakeReach: a node port 30000 + port % 1000 on `<cluster>.reach.example`, for the operator.
  expect(values.apiServer).toEqual({ serviceType: "NodePort", nodePort: 30443 });
  expect(values.certs.auto.hosts.slice(-2)).toEqual(["127.0.0.1", "hub.reach.example"]);
  const provider = named(resources, "pulumi:providers:kubernetes", "k-api");
  expect(JSON.parse(secretValue(provider.inputs.kubeconfig)).clusters[0].cluster.server).toBe("https://hub.reach.example:5443");
});

test("the member's Cluster carries its region, infrastructure and every label for placement", () => {
  const cluster = plain(named(resources, "kubernetes:cluster.karmada.io/v1alpha1:Cluster", "k-spoke-cluster").inputs);
  expect(cluster.metadata.labels).toEqual({ cluster: "spoke", tier: "gold" });
  expect(cluster.spec.region).toBe("eu");
  expect(cluster.spec.provider).toBe("fake-cloud");
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
