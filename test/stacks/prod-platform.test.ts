import { REMOTE_WRITE_QUEUE } from "../../components/management";
import { KARMADA_OPEN_VALUES, unknownValuePaths } from "../support/chart-values";
import { named, plain, type Recorded, runProgram, secretValue, stackConfig, valueOf } from "../support/harness";

// The management plane and the mesh of the prod stack, with the API ranges its set-up adds.
const WORKLOADS = [
  { name: "west", region: "us-west-2" },
  { name: "east", region: "us-east-1" },
];
let resources: Recorded[];
let program: typeof import("../../index");

beforeAll(async () => {
  const config = stackConfig("prod");
  config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"] };
  ({ resources, result: program } = await runProgram({ stack: "prod", config, program: () => import("../../index") }));
});

describe("management plane on EKS", () => {
  const INTERNAL_NLB = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    // The VPC pool that holds every VPC: one rule per port in the security group, however many clusters.
    "service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/10",
  };
  const valuesOf = (name: string) => plain(named(resources, "kubernetes:helm.sh/v3:Release", name).inputs).values;

  test("Karmada's API sits behind an NLB open only to the Pulumi ranges, whose name its certificate covers", () => {
    const values = valuesOf("platform-karmada-release");
    expect(values.apiServer).toEqual({
      serviceType: "LoadBalancer",
      serviceAnnotations: {
        "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        "service.beta.kubernetes.io/load-balancer-source-ranges": "203.0.113.0/24",
      },
    });
    expect(values.certs.auto.hosts.at(-1)).toBe("*.elb.us-west-2.amazonaws.com");
    expect(unknownValuePaths(values, "karmada@v1.18.2", KARMADA_OPEN_VALUES)).toEqual([]);
    const provider = named(resources, "pulumi:providers:kubernetes", "platform-karmada-api");
    expect(JSON.parse(secretValue(provider.inputs.kubeconfig)).clusters[0].cluster.server).toBe(
      "https://karmada-system-karmada-apiserver.elb.example.com:5443",
    );
  });

  test("Argo CD's server and the management Prometheus's gateway sit behind internal NLBs", () => {
    expect(valuesOf("platform-argocd-release").server.service).toEqual({ type: "LoadBalancer", annotations: INTERNAL_NLB });
    const central = valuesOf("platform-monitoring-central");
    // Prometheus's own Service stays the chart's ClusterIP; the NLB is its gateway's.
    expect(central.prometheus.service).toBeUndefined();
    const gateway = plain(named(resources, "kubernetes:core/v1:Service", "platform-monitoring-gateway-service").inputs);
    expect(gateway.metadata.annotations).toEqual(INTERNAL_NLB);
    expect(gateway.spec.type).toBe("LoadBalancer");
    expect(unknownValuePaths(central, "kube-prometheus-stack@88.5.3")).toEqual([]);
    for (const w of ["west", "east"]) {
      expect(valuesOf(`platform-monitoring-${w}-agent`).prometheus.prometheusSpec.remoteWrite).toEqual([
        {
          url: "http://monitoring-prometheus-gateway.elb.example.com:9090/api/v1/write",
          basicAuth: { username: { name: "prometheus-remote-write", key: "username" }, password: { name: "prometheus-remote-write", key: "password" } },
          queueConfig: REMOTE_WRITE_QUEUE,
        },
      ]);
    }
  });

  test("workload clusters register with their EKS endpoints, as AWS clusters in their regions", () => {
    for (const w of WORKLOADS) {
      const cluster = plain(named(resources, "kubernetes:cluster.karmada.io/v1alpha1:Cluster", `platform-karmada-${w.name}-cluster`).inputs);
      expect(cluster.spec).toMatchObject({ apiEndpoint: `https://prod-${w.name}.gr7.eks.amazonaws.com`, provider: "aws", region: w.region });
      const argo = plain(named(resources, "kubernetes:core/v1:Secret", `platform-argocd-${w.name}-cluster`).inputs);
      expect(argo.stringData.server).toBe(`https://prod-${w.name}.gr7.eks.amazonaws.com`);
    }
    expect(resources.some((r) => r.name === "platform-karmada-mgmt-cluster")).toBe(false);
  });
});

describe("mesh on EKS (sidecar mode)", () => {
  test("east-west gateways sit behind internal NLBs reachable from the peered VPCs; no MetalLB", () => {
    expect(resources.some((r) => r.type === "platform:index:MetalLb")).toBe(false);
    for (const w of ["west", "east"]) {
      const values = plain(named(resources, "kubernetes:helm.sh/v3:Release", `mesh-${w}-eastwest`).inputs).values;
      expect(values.service).toEqual({
        type: "LoadBalancer",
        annotations: {
          "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
          "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
          // The VPC pool that holds every VPC: one rule per port in the security group, however many clusters.
    "service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/10",
        },
      });
      expect(named(resources, "kubernetes:helm.sh/v3:Release", `mesh-${w}-eastwest`).dependsOn).toEqual([`mesh-${w}-istiod`, `${w}-lb-drain`]);
    }
  });

  test("remote secrets point at the other cluster's EKS endpoint, both ways", () => {
    for (const [a, b] of [["west", "east"], ["east", "west"]]) {
      const secret = plain(named(resources, "kubernetes:core/v1:Secret", `mesh-${a}-remotes`).inputs);
      const kubeconfig = JSON.parse(secret.stringData[b]);
      expect(kubeconfig.clusters[0].cluster.server).toBe(`https://prod-${b}.gr7.eks.amazonaws.com`);
      expect(kubeconfig.users[0].user.token).toBe(`TOKEN of ${b}:istio-system/istio-reader-service-account`);
    }
  });

  test("the mesh output names each network and gateway address, and the root certificate only", async () => {
    const mesh = await valueOf(program.mesh);
    expect(mesh).toMatchObject({ meshID: "platform", mode: "sidecar" });
    expect(Object.keys(mesh.clusters)).toEqual(["west", "east"]);
    expect(mesh.clusters.east.network).toBe("east");
    expect(mesh.rootCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});

describe("teams on EKS", () => {
  const TEAMS = [
    { team: "shop", role: "arn:aws:iam::123456789012:role/team-shop", clusters: ["west", "east"], namespaces: ["shop", "shop-jobs"] },
    { team: "payments", role: "arn:aws:iam::123456789012:role/team-payments", clusters: ["west"], namespaces: ["payments"] },
  ];

  test("each team's IAM role gets an access entry per cluster, with EKS's edit policy scoped to its namespaces", () => {
    for (const { team, role, clusters, namespaces } of TEAMS) {
      for (const cluster of clusters) {
        const entry = named(resources, "aws:eks/accessEntry:AccessEntry", `teams-${team}-${cluster}-access-entry`);
        expect([entry.inputs.principalArn, entry.inputs.type, entry.inputs.clusterName]).toEqual([role, "STANDARD", `prod-${cluster}`]);
        expect(entry.inputs.kubernetesGroups).toBeUndefined();
        const policy = named(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation", `teams-${team}-${cluster}-access-policy`);
        expect(plain(policy.inputs)).toEqual({
          clusterName: `prod-${cluster}`,
          principalArn: role,
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
          accessScope: { type: "namespace", namespaces },
        });
        expect(policy.providers).toEqual([`aws-${WORKLOADS.find((w) => w.name === cluster)!.region}`]);
      }
    }
    expect(resources.filter((r) => r.type === "aws:eks/accessEntry:AccessEntry" && r.name.startsWith("teams-"))).toHaveLength(3);
  });

  test("a team's kubeconfig assumes its own role; no ServiceAccount or RoleBinding is made for it on EKS", async () => {
    const teams = await valueOf(program.teams);
    const user = JSON.parse(teams.payments.kubeconfigs.west).users[0].user;
    expect(user.exec.args).toEqual([
      "eks", "get-token", "--cluster-name", "prod-west", "--region", "us-west-2", "--output", "json", "--role-arn", TEAMS[1].role,
    ]);
    const onEks = resources.filter((r) => /^(west|east)-k8s$/.test(r.providers[0] ?? ""));
    expect(onEks.filter((r) => r.inputs.metadata?.namespace === "platform-teams" || r.inputs.metadata?.name === "platform-teams")).toEqual([]);
    expect(onEks.filter((r) => r.type.endsWith(":RoleBinding") && r.inputs.metadata.labels?.["platform/team"])).toEqual([]);
    expect(named(resources, "kubernetes:core/v1:ResourceQuota", "teams-shop-east-quota-shop-jobs").providers).toEqual(["east-k8s"]);
  });
});
