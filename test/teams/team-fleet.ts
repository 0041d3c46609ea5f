import * as pulumi from "@pulumi/pulumi";
import type { Teams } from "../../components/teams";
import type { ClusterOutput, FleetOutputs } from "../../packages/contract/src";
import { teamOutputs } from "../../stacks/outputs";
import { type PublishedFleet, teamStackOutputs } from "../../tools/publish/publish";
import { valueOf } from "../support/harness";

// A fleet stack's outputs as `pulumi stack output --json --show-secrets` gives them: the contract's
// types, and `teams` made by the fleet's own teamOutputs. Every admin credential says ADMIN.
const cluster = (name: string, role: "management" | "workload", region: string): ClusterOutput => ({
  name, role, provider: "kind", region, network: name, labels: { cluster: name }, podCidr: "", serviceCidr: "", endpoint: `https://${name}`, internalEndpoint: "",
});
const CONTRACT: FleetOutputs = {
  contractVersion: "1.1.0",
  clusters: { mgmt: cluster("mgmt", "management", "local"), west: cluster("west", "workload", "us-west"), east: cluster("east", "workload", "us-east") },
  kubeconfigs: { mgmt: "ADMIN kubeconfig mgmt", west: "ADMIN kubeconfig west", east: "ADMIN kubeconfig east" },
  karmada: { endpoint: "https://karmada", kubeconfig: "ADMIN kubeconfig karmada" },
  argocd: { url: "http://argocd", adminPassword: "ADMIN argocd" },
  grafana: { url: "http://grafana", adminPassword: "ADMIN grafana" },
  prometheus: { remoteWriteUrl: "http://prometheus/api/v1/write" },
  mesh: { meshID: "mesh", mode: "sidecar", clusters: { west: { network: "west", eastWestGatewayAddress: "10.0.0.1", ingressGatewayAddress: "10.0.0.2" } }, rootCert: "CERT" },
  observability: { kialiUrl: "http://kiali", logPushUrl: "http://loki/push", traceEndpoint: "http://tempo", backupLocation: "s3://backups" },
  readers: { prometheus: { url: "http://p", username: "reader", password: "ADMIN reader" }, loki: { url: "http://l", username: "reader", password: "ADMIN reader" } },
  apps: { web: { engine: "karmada", targets: ["west"], standby: [], host: "web.web.svc.cluster.local", port: 80, mode: "duplicated", ingressHost: "web.localhost", replicas: { west: 2 } } },
};
/** What the fleet hands two teams: payments on west, shop on west and east. */
const ACCESS = {
  payments: { kubeconfigs: { west: pulumi.output("TOKEN payments west") }, karmada: pulumi.output("TOKEN payments karmada"), project: "payments" },
  shop: {
    kubeconfigs: { west: pulumi.output("TOKEN shop west"), east: pulumi.output("TOKEN shop east") },
    karmada: pulumi.output("TOKEN shop karmada"),
    project: "shop",
  },
};

/** The fleet's outputs, `teams` through the fleet's own output function. */
export async function fakeFleet(): Promise<PublishedFleet> {
  const { teams } = teamOutputs({ access: ACCESS } as unknown as Teams);
  return { ...CONTRACT, teams: await valueOf(teams) };
}

/** Team payments's stack as `teams:publish` writes it from {@link fakeFleet}. */
export async function paymentsStack() {
  return teamStackOutputs(await fakeFleet(), { name: "payments", namespaces: ["payments"] });
}
