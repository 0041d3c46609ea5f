import { unknownValuePaths } from "../support/chart-values";
import { named, ofType, oneNetwork, plain, Recorded, runProgram, stackConfig } from "../support/harness";
import { validateModel } from "../support/k8s-schema";

/** Each stack evaluated once for this file: the tests only read what it registered. */
const evaluations = new Map<"dev" | "prod", Promise<Recorded[]>>();
function ambient(stack: "dev" | "prod"): Promise<Recorded[]> {
  if (!evaluations.has(stack)) evaluations.set(stack, evaluate(stack));
  return evaluations.get(stack)!;
}

/**
 * Evaluates a stack with the mesh in ambient mode (prod with the API ranges its set-up adds, and
 * its workload clusters on one network).
 */
async function evaluate(stack: "dev" | "prod"): Promise<Recorded[]> {
  const config = stackConfig(stack);
  config["platform:mesh"] = { mode: "ambient", meshId: "fleet" };
  if (stack === "prod") {
    config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"], karmadaApiAccess: "internal" };
    config["platform:clusters"] = oneNetwork(config);
  }
  const run = await runProgram({
    stack,
    config,
    program: async () => {
      const { composeStack } = await import("../../stacks");
      return composeStack();
    },
  });
  return run.resources;
}

const RELEASE = "kubernetes:helm.sh/v3:Release";
const GATEWAY_API = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const WORKLOADS = ["west", "east"];

describe.each(["dev", "prod"] as const)("ambient mode on %s", (stack) => {
  let resources: Recorded[];
  beforeAll(async () => {
    resources = await ambient(stack);
  });
  const values = (name: string) => plain(named(resources, RELEASE, name).inputs).values;
  /** The mesh network of workload cluster `w`: prod's are all on one. */
  const networkOf = (w: string) => (stack === "prod" ? "fleet" : w);

  test("istiod runs the ambient profile with multi-network switched on", () => {
    for (const w of WORKLOADS) {
      const istiod = values(`mesh-${w}-istiod`);
      expect(istiod.profile).toBe("ambient");
      // The ingress gateway reaches other networks through the waypoint (Services opt in), not on its
      // own; baggage names both clusters of a call in its metrics (Kiali's cross-cluster edges).
      expect(istiod.env).toEqual({ AMBIENT_ENABLE_MULTI_NETWORK: "true", AMBIENT_ENABLE_BAGGAGE: "true" });
      expect(istiod.global).toMatchObject({ meshID: "fleet", network: networkOf(w), multiCluster: { clusterName: w } });
      expect(unknownValuePaths(istiod, "istiod@1.30.3", ["meshConfig", "profile"])).toEqual([]);
    }
  });

  test("istio-cni and ztunnel carry the cluster's identity and network, after istiod", () => {
    for (const w of WORKLOADS) {
      const cni = named(resources, RELEASE, `mesh-${w}-cni`);
      expect(plain(cni.inputs)).toMatchObject({ chart: "cni", version: "1.30.3", namespace: "istio-system" });
      expect(cni.dependsOn).toEqual([`mesh-${w}-istiod`]);
      expect(unknownValuePaths(values(`mesh-${w}-cni`), "istio-cni@1.30.3", ["profile"])).toEqual([]);
      const ztunnel = values(`mesh-${w}-ztunnel`);
      expect(ztunnel).toEqual({ profile: "ambient", hub: "docker.io/istio", tag: "1.30.3", multiCluster: { clusterName: w }, network: networkOf(w) });
      expect(unknownValuePaths(ztunnel, "ztunnel@1.30.3", ["profile"])).toEqual([]);
    }
  });

  test("the Gateway API CRDs come before istiod", () => {
    for (const w of WORKLOADS) {
      const crds = named(resources, "kubernetes:yaml/v2:ConfigFile", `mesh-${w}-gateway-api`);
      expect(crds.inputs.file).toBe("https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml");
      expect(named(resources, RELEASE, `mesh-${w}-istiod`).dependsOn).toContain(`mesh-${w}-gateway-api`);
    }
  });

  test("the east-west gateway is a Gateway API gateway of class istio-east-west on HBONE 15008", () => {
    for (const w of WORKLOADS) {
      const gateway = named(resources, GATEWAY_API, `mesh-${w}-eastwest`);
      const object = plain(gateway.inputs);
      expect(object.metadata).toEqual({
        name: "istio-eastwestgateway",
        namespace: "istio-system",
        labels: { "topology.istio.io/network": networkOf(w) },
        // Pulumi waits until Istio has deployed it, before reading its Service's address.
        annotations: { "pulumi.com/waitFor": "condition=Programmed" },
      });
      expect(object.spec.gatewayClassName).toBe("istio-east-west");
      expect(object.spec.listeners).toEqual([
        { name: "mesh", port: 15008, protocol: "HBONE", tls: { mode: "Terminate", options: { "gateway.istio.io/tls-terminate-mode": "ISTIO_MUTUAL" } } },
      ]);
      expect(object.spec.infrastructure?.annotations?.["service.beta.kubernetes.io/aws-load-balancer-internal"]).toBe(
        stack === "prod" ? "true" : undefined,
      );
      expect(gateway.dependsOn.slice(0, 3)).toEqual([`mesh-${w}-istiod`, `mesh-${w}-cni`, `mesh-${w}-ztunnel`]);
      validateModel("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1", "Gateway", object);
    }
  });

  test("every cluster runs the shared waypoint, after istiod, under the same name", () => {
    for (const w of WORKLOADS) {
      const waypoint = named(resources, GATEWAY_API, `mesh-${w}-waypoint`);
      expect(waypoint.providers).toEqual([`${w}-k8s`]);
      expect(plain(waypoint.inputs).metadata).toEqual({ name: "fleet-waypoint", namespace: "istio-system", labels: { "istio.io/waypoint-for": "service" } });
      expect(waypoint.dependsOn).toEqual([`mesh-${w}-istiod`, `mesh-${w}-cni`, `mesh-${w}-ztunnel`]);
    }
  });

  test("no sidecar-mode gateway chart or passthrough Gateway; STRICT mTLS and remote secrets stay", () => {
    expect(resources.some((r) => r.type === RELEASE && r.name.endsWith("-eastwest"))).toBe(false);
    // Only the apps' ingress listener, no cross-network passthrough.
    expect(ofType(resources, "kubernetes:networking.istio.io/v1:Gateway").map((r) => r.inputs.metadata.name)).toEqual(["fleet-ingress", "fleet-ingress"]);
    expect(ofType(resources, "kubernetes:security.istio.io/v1:PeerAuthentication")).toHaveLength(2);
    expect(ofType(resources, "kubernetes:core/v1:Secret").filter((r) => /^mesh-.*-remotes$/.test(r.name))).toHaveLength(2);
  });
});

test("with karmadaApiAccess internal, the Karmada API is reached over the fleet's network only", async () => {
  const resources = await ambient("prod");
  const values = plain(named(resources, RELEASE, "platform-karmada-release").inputs).values;
  expect(values.apiServer.serviceAnnotations).toEqual({
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    // The VPC pool that holds every VPC: one rule per port in the security group, however many clusters.
    "service.beta.kubernetes.io/load-balancer-source-ranges": "10.0.0.0/10",
  });
});

test("ambient across networks with EKS clusters is refused, keyed, before any resource: ztunnel cannot reach an NLB's hostname", async () => {
  const config = stackConfig("prod");
  config["platform:mesh"] = { mode: "ambient" };
  config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"] };
  // istiod hands the east-west gateway's status address to ztunnel as it is (networks.go); an
  // NLB's is a hostname, which ztunnel never resolves: refused rather than deployed unreachable.
  let error: Error | undefined;
  const run = await runProgram({
    stack: "prod",
    config,
    program: async () => {
      try {
        await (await import("../../stacks")).composeStack();
      } catch (e) {
        error = e as Error;
      }
    },
  });
  expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  expect(error?.message).toContain(
    "mesh.mode ambient cannot reach across networks to EKS clusters (west, east): their east-west gateways are NLBs known by hostname",
  );
  // The same fleet on one network is accepted: the describe block above evaluates it.
});
