import { fleetWaypoint, meshEnrollmentLabels } from "../../components/mesh";
import { type KarmadaAppPlan, planFleet } from "../../plan";
import { named, ofType, plain, type Recorded } from "../support/harness";
import { placeThroughKarmada } from "../support/placement";
import { validateModel } from "../support/k8s-schema";
import { fleet, kind } from "../plan/fleets";

// How callers reach an app across clusters and fail over, in each mesh mode: namespace and Service
// labels, the DestinationRule in every cluster (applied by the sidecars, or in ambient by the
// shared waypoint, which the Service names), validated against Istio's and Gateway API's schemas.
const ISTIO = "@kubernetes-models/istio/networking.istio.io/v1";
const apps = (mode: "sidecar" | "ambient") =>
  planFleet({
    ...fleet(kind("mgmt", "management"), kind("west"), kind("east")),
    mesh: { mode },
    apps: [{ name: mode === "sidecar" ? "web" : "bare", image: "nginx:1.29.3", placement: { clusters: ["east"] } }],
  }).apps as KarmadaAppPlan[];

let resources: Recorded[];
beforeAll(async () => {
  resources = await placeThroughKarmada([
    { app: apps("sidecar")[0], meshMode: "sidecar" },
    { app: apps("ambient")[0], meshMode: "ambient" },
  ]);
});

const labelsOf = (type: string, name: string) => plain(named(resources, type, name).inputs).metadata.labels;

test("namespaces join the mesh the way each data plane selects them", () => {
  // Istio: the sidecar injector's default namespaceSelector, and ztunnel's capture label.
  expect(meshEnrollmentLabels("sidecar")).toEqual({ "istio-injection": "enabled" });
  expect(meshEnrollmentLabels("ambient")).toEqual({ "istio.io/dataplane-mode": "ambient" });
  expect(labelsOf("kubernetes:core/v1:Namespace", "app-web-namespace")).toEqual({
    "istio-injection": "enabled",
    // istio-init adds NET_ADMIN and NET_RAW, which Pod Security's baseline refuses.
    "pod-security.kubernetes.io/enforce": "privileged",
    "pod-security.kubernetes.io/audit": "restricted",
  });
  expect(labelsOf("kubernetes:core/v1:Namespace", "app-bare-namespace")).toEqual({
    "istio.io/dataplane-mode": "ambient",
    "pod-security.kubernetes.io/enforce": "baseline",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  });
});

test("in ambient the Service is global and served by the fleet's waypoint, which admits it and is global too", () => {
  expect(labelsOf("kubernetes:core/v1:Service", "app-web-service")).toEqual({ app: "web" });
  const labels = labelsOf("kubernetes:core/v1:Service", "app-bare-service");
  expect(labels).toEqual({
    app: "bare",
    "istio.io/global": "true",
    "istio.io/use-waypoint": "fleet-waypoint",
    "istio.io/use-waypoint-namespace": "istio-system",
    // Without it the ingress gateway sends to local endpoints only (no failover from outside).
    "istio.io/ingress-use-waypoint": "true",
  });
  // The waypoint the labels name exists under that name and namespace, takes HBONE and admits
  // Services of other namespaces (the default is only its own), and its Service is global.
  const waypoint = fleetWaypoint();
  validateModel("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1", "Gateway", waypoint);
  expect(waypoint.metadata).toEqual({ name: "fleet-waypoint", namespace: "istio-system", labels: { "istio.io/waypoint-for": "service" } });
  expect(waypoint.spec.gatewayClassName).toBe("istio-waypoint");
  expect(waypoint.spec.listeners).toEqual([{ name: "mesh", port: 15008, protocol: "HBONE", allowedRoutes: { namespaces: { from: "All" } } }]);
  expect(waypoint.spec.infrastructure.labels).toEqual({ "istio.io/global": "true" });
});

test("every cluster gets the app's DestinationRule in both modes: outlier detection, then another cluster", () => {
  for (const app of ["web", "bare"]) {
    const rules = ofType(resources, "kubernetes:networking.istio.io/v1:DestinationRule").filter((r) => r.name.startsWith(`app-${app}-`));
    // In each caller's cluster (the Karmada API serves no Istio CRD), in Istio's root namespace.
    expect(rules.map((r) => [r.name, r.providers, plain(r.inputs).metadata])).toEqual([
      [`app-${app}-traffic-west`, ["west-k8s"], { name: `app-${app}`, namespace: "istio-system" }],
      [`app-${app}-traffic-east`, ["east-k8s"], { name: `app-${app}`, namespace: "istio-system" }],
    ]);
    expect(rules[0].dependsOn).toEqual(["k-west", "k-east"]);
    const object = plain(rules[0].inputs);
    validateModel(ISTIO, "DestinationRule", object);
    expect(object.spec.host).toBe(`${app}.${app}.svc.cluster.local`);
    // Istio applies failover priorities only with outlier detection; topology.istio.io/cluster is
    // a label Istio puts on every proxy and endpoint (kind nodes carry no zones to go by).
    expect(object.spec.trafficPolicy.outlierDetection).toEqual({ consecutive5xxErrors: 3, interval: "5s", baseEjectionTime: "30s", maxEjectionPercent: 100 });
    expect(object.spec.trafficPolicy.loadBalancer.localityLbSetting).toEqual({ enabled: true, failoverPriority: ["topology.istio.io/cluster"] });
  }
  const typo = { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "x" }, spec: { host: "x", trafficPolicy: { outlierDetection: { consecutive5xxErrors: "three" } } } };
  expect(() => validateModel(ISTIO, "DestinationRule", typo)).toThrow();
});
