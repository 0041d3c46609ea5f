import { networkPolicies, type NetworkPolicyObject, podSecurityLabels, sameNetworkPodRanges } from "../../components/placement/baseline";
import type { ClusterPlan } from "../../plan";
import { type KarmadaAppPlan, planFleet } from "../../plan";
import { named, ofType, plain, type Recorded } from "../support/harness";
import { placeThroughKarmada } from "../support/placement";
import { crdProblems } from "../support/crd-schema";
import { validateK8s } from "../support/k8s-schema";
import { fleet, kind } from "../plan/fleets";

// The app namespace's NetworkPolicies, judged by Kubernetes' documented semantics
// (kubernetes.io/docs/concepts/services-networking/network-policies): a connection is allowed
// when some policy selecting the pod has a rule whose peers include the other end and whose
// ports include the port (no peers or no ports: all). Peers: a namespaceSelector `{}` is any pod
// of the cluster; an ipBlock is an address range, here for addresses outside the cluster.
type End = { pod: true; namespace?: string } | { pod: false; ip: string };
const pod: End = { pod: true, namespace: "shop" };
const podIn = (namespace: string): End => ({ pod: true, namespace });
const outside = (ip: string): End => ({ pod: false, ip });

function inRange(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const n = (a: string) => a.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

function peerMatches(peer: any, end: End): boolean {
  if (peer.ipBlock) return !end.pod && inRange(end.ip, peer.ipBlock.cidr);
  if (peer.namespaceSelector) {
    if (!end.pod) return false;
    // Every namespace carries its name as `kubernetes.io/metadata.name` (set by the API server).
    const wanted = Object.entries((peer.namespaceSelector.matchLabels ?? {}) as Record<string, string>);
    expect(Object.keys(peer.namespaceSelector).filter((k) => k !== "matchLabels")).toEqual([]);
    return wanted.every(([k, v]) => k === "kubernetes.io/metadata.name" && v === end.namespace);
  }
  throw new Error(`peer ${JSON.stringify(peer)} is not judged here`);
}

/** The app pod's named container ports: a policy's named port means the container port of that name. */
const POD_PORTS: Record<string, number> = { http: 8080 };

function allowed(policies: NetworkPolicyObject[], direction: "Ingress" | "Egress", end: End, port: number): boolean {
  const rules = policies.flatMap((p) => (direction === "Ingress" ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }))));
  // Every policy here selects every pod and denies both directions by default.
  for (const p of policies) expect(p.spec.policyTypes).toEqual(["Ingress", "Egress"]);
  const number = (p: number | string) => (typeof p === "number" ? p : POD_PORTS[p]);
  return rules.some(
    (r) => (r.peers.length === 0 || r.peers.some((peer) => peerMatches(peer, end))) && (!r.ports || r.ports.some((p) => number(p.port) === port)),
  );
}

const app = { name: "web", port: 80 };

test("sidecar mode: the cluster's pods reach the app's container port, the remote east-west gateways are reachable on 15443, and nothing else", () => {
  const policies = networkPolicies(app, "sidecar", []);
  expect(policies.map((p) => [p.metadata.name, p.metadata.namespace])).toEqual([["default-deny", "web"], ["mesh", "web"]]);
  expect(allowed(policies, "Ingress", pod, 8080)).toBe(true);
  expect(allowed(policies, "Ingress", pod, 9090)).toBe(false);
  // The cluster's Prometheus, and only it, scrapes the sidecars' Envoy stats.
  expect(allowed(policies, "Ingress", podIn("monitoring"), 15090)).toBe(true);
  expect(allowed(policies, "Ingress", podIn("shop"), 15090)).toBe(false);
  // From outside the cluster (the kubelet's probes come from the node, which the policy agents admit by themselves).
  expect(allowed(policies, "Ingress", outside("172.18.0.3"), 15021)).toBe(false);
  expect(allowed(policies, "Ingress", outside("203.0.113.7"), 8080)).toBe(false);
  // Egress: CoreDNS, istiod's 15012 and any pod of the cluster; outside, only 15443.
  expect(allowed(policies, "Egress", pod, 53)).toBe(true);
  expect(allowed(policies, "Egress", pod, 15012)).toBe(true);
  expect(allowed(policies, "Egress", outside("172.18.255.20"), 15443)).toBe(true);
  expect(allowed(policies, "Egress", outside("203.0.113.7"), 443)).toBe(false);
});

test("ambient mode: HBONE (15008) in from the cluster and out anywhere, probes from ztunnel's link-local address, nothing else", () => {
  const policies = networkPolicies(app, "ambient", []);
  expect(allowed(policies, "Ingress", pod, 15008)).toBe(true);
  expect(allowed(policies, "Ingress", pod, 8080)).toBe(true);
  expect(allowed(policies, "Ingress", pod, 80)).toBe(false);
  // ztunnel and the waypoints report the mesh's metrics in ambient: no Envoy in the pod to scrape.
  expect(allowed(policies, "Ingress", podIn("monitoring"), 15090)).toBe(false);
  expect(allowed(policies, "Ingress", outside("169.254.7.127"), 8080)).toBe(true);
  expect(allowed(policies, "Ingress", outside("172.18.0.3"), 8080)).toBe(false);
  expect(allowed(policies, "Ingress", outside("203.0.113.7"), 15008)).toBe(false);
  expect(allowed(policies, "Egress", outside("172.18.255.20"), 15008)).toBe(true);
  expect(allowed(policies, "Egress", outside("172.18.255.20"), 15443)).toBe(false);
  expect(allowed(policies, "Egress", pod, 53)).toBe(true);
});

test("Pod Security: privileged enforced with sidecars (istio-init), the app's level in ambient, restricted always audited", () => {
  const psa = "pod-security.kubernetes.io";
  expect(podSecurityLabels("sidecar")).toEqual({ [`${psa}/enforce`]: "privileged", [`${psa}/audit`]: "restricted" });
  expect(podSecurityLabels("ambient")).toEqual({ [`${psa}/enforce`]: "baseline", [`${psa}/warn`]: "restricted", [`${psa}/audit`]: "restricted" });
  expect(podSecurityLabels("ambient", "restricted")[`${psa}/enforce`]).toBe("restricted");
});

// Ambient mode: an app whose pods may run under Pod Security's restricted level, and one that may not.
const [secure, plainApp, elastic] = planFleet({
  ...fleet(kind("mgmt", "management"), kind("west"), kind("east")),
  mesh: { mode: "ambient" },
  apps: [
    {
      name: "secure",
      image: "nginxinc/nginx-unprivileged:1.29.3",
      port: 8080,
      podSecurity: "restricted",
      placement: { clusters: ["west"] },
      probe: { path: "/healthz", initialDelaySeconds: 5 },
      resources: { requests: { cpu: "100m" }, limits: { memory: "128Mi" } },
    },
    { name: "web", image: "nginx:1.29.3", placement: { clusters: ["east"] } },
    { name: "elastic", image: "nginx:1.29.3", replicas: 6, placement: { clusters: ["west", "east"], mode: "divided", divideBy: "capacity" } },
  ],
}).apps as KarmadaAppPlan[];

let resources: Recorded[];
beforeAll(async () => {
  resources = await placeThroughKarmada([secure, plainApp, elastic].map((app) => ({ app, meshMode: "ambient" as const })));
});

test("a restricted app's namespace enforces restricted, and its pods pass the profile's checks", () => {
  const namespace = plain(named(resources, "kubernetes:core/v1:Namespace", "app-secure-namespace").inputs);
  expect(namespace.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  const pod = plain(named(resources, "kubernetes:apps/v1:Deployment", "app-secure-deployment").inputs).spec.template.spec;
  // The restricted profile (kubernetes.io/docs/concepts/security/pod-security-standards): non-root,
  // a RuntimeDefault or Localhost seccomp profile, no privilege escalation, every capability dropped.
  const [container] = pod.containers;
  expect(pod.securityContext.runAsNonRoot ?? container.securityContext?.runAsNonRoot).toBe(true);
  expect(["RuntimeDefault", "Localhost"]).toContain(pod.securityContext.seccompProfile.type);
  expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
  expect(container.securityContext.capabilities.drop).toEqual(["ALL"]);
  // A baseline app's pods are left as their image wants them.
  expect(plain(named(resources, "kubernetes:apps/v1:Deployment", "app-web-deployment").inputs).spec.template.spec.securityContext).toBeUndefined();
});

test("an app's container: its requests (defaults filled in), limits, and HTTP probes on its named port", () => {
  const container = (name: string) => plain(named(resources, "kubernetes:apps/v1:Deployment", `app-${name}-deployment`).inputs).spec.template.spec.containers[0];
  const secureContainer = container("secure");
  expect(secureContainer.resources).toEqual({ requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } });
  expect(secureContainer.readinessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
  expect(secureContainer.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
  expect(secureContainer.readinessProbe.initialDelaySeconds).toBe(5);
  // The probe's named port is the container's own (the kubelet resolves the name there).
  expect(secureContainer.ports).toEqual([{ name: "http", containerPort: 8080 }]);
  expect(container("web").resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" } });
  expect(container("web").readinessProbe).toBeUndefined();
});

test("divided by capacity: Karmada's dynamic weight by available replicas, valid against the CRD", () => {
  const policy = plain(named(resources, "kubernetes:policy.karmada.io/v1alpha1:PropagationPolicy", "app-elastic-propagation").inputs);
  expect(policy.spec.placement.replicaScheduling).toEqual({
    replicaSchedulingType: "Divided",
    replicaDivisionPreference: "Weighted",
    weightPreference: { dynamicWeight: "AvailableReplicas" },
  });
  expect(crdProblems("policy.karmada.io_propagationpolicies@v1.18.2", policy)).toEqual([]);
});

test("every app namespace gets its NetworkPolicies in the Karmada API, valid, after the policy that places them", () => {
  const policies = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((r) => r.name.startsWith("app-web-"));
  expect(policies.map((r) => [r.name, r.inputs.metadata.name, r.inputs.metadata.namespace])).toEqual([
    ["app-web-network-default-deny", "default-deny", "web"],
    ["app-web-network-mesh", "mesh", "web"],
  ]);
  for (const policy of policies) {
    validateK8s(policy);
    expect(policy.providers).toEqual(["k-api"]);
    expect(policy.dependsOn).toEqual(["app-web-service-propagation"]);
  }
});

test("clusters sharing a mesh network reach each other's app pods directly, and only they", () => {
  // Istio sends between clusters of one network straight to the remote pod (ep_filters.go, 1.30).
  const spec = (network: string, podCidr: string) => ({ spec: { network, podCidr } as ClusterPlan });
  const ranges = sameNetworkPodRanges([spec("shared", "10.1.0.0/16"), spec("shared", "10.2.0.0/16"), spec("alone", "10.3.0.0/16")]);
  expect(ranges).toEqual(["10.1.0.0/16", "10.2.0.0/16"]);
  expect(sameNetworkPodRanges([spec("a", "10.1.0.0/16"), spec("b", "10.2.0.0/16")])).toEqual([]);
  const web = { name: "web", port: 8080 };
  const sidecar = networkPolicies(web, "sidecar", ranges);
  expect(allowed(sidecar, "Ingress", outside("10.2.3.4"), 8080)).toBe(true);
  expect(allowed(sidecar, "Egress", outside("10.2.3.4"), 8080)).toBe(true);
  expect(allowed(sidecar, "Ingress", outside("10.2.3.4"), 9090)).toBe(false);
  expect(allowed(sidecar, "Ingress", outside("10.3.3.4"), 8080)).toBe(false);
  expect(allowed(sidecar, "Egress", outside("10.3.3.4"), 8080)).toBe(false);
  const ambient = networkPolicies(web, "ambient", ranges);
  expect(allowed(ambient, "Ingress", outside("10.1.3.4"), 15008)).toBe(true);
  expect(allowed(ambient, "Egress", outside("10.1.3.4"), 15008)).toBe(true);
  expect(allowed(ambient, "Ingress", outside("10.1.3.4"), 8080)).toBe(false);
  expect(allowed(ambient, "Ingress", outside("10.3.3.4"), 15008)).toBe(false);
  // Without a shared network, the policies are exactly the per-cluster ones.
  expect(networkPolicies(web, "sidecar", [])).toEqual(networkPolicies(web, "sidecar", sameNetworkPodRanges([spec("a", "10.1.0.0/16")])));
});
