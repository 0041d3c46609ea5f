import { problemsOf, fleet, kind } from "../plan/fleets";
import { named, ofType, plain, type Recorded, runProgram, stackConfig, valueOf } from "../support/harness";
import { unknownValuePaths } from "../support/chart-values";
import { validateModel } from "../support/k8s-schema";

// How users reach the apps: an ingress gateway per workload cluster (the pinned `gateway` chart),
// a route per app at each, and one entry in front of the fleet — a proxy on the workstation for
// kind, Route 53 latency records with health checks for EKS.
const ISTIO = "@kubernetes-models/istio/networking.istio.io/v1";
const WORKLOADS = ["west", "east"];

async function stack(name: "dev" | "prod", extra: Record<string, unknown> = {}) {
  const config = { ...stackConfig(name), ...extra };
  if (name === "prod") config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"] };
  // The composition itself, so that every run registers its resources anew (index.ts runs once per module load).
  const run = await runProgram({ stack: name, config, program: async () => (await import("../../stacks")).composeStack() });
  return { resources: run.resources, apps: await valueOf(run.result.apps), mesh: await valueOf(run.result.mesh) };
}

describe("dev", () => {
  let resources: Recorded[];
  let apps: Awaited<ReturnType<typeof stack>>["apps"];
  let mesh: Awaited<ReturnType<typeof stack>>["mesh"];
  beforeAll(async () => ({ resources, apps, mesh } = await stack("dev")));

  test("each workload cluster runs the ingress gateway on a load-balancer address, HTTP and status only", () => {
    for (const w of WORKLOADS) {
      const release = named(resources, "kubernetes:helm.sh/v3:Release", `mesh-${w}-ingress`);
      const inputs = plain(release.inputs);
      expect(inputs).toMatchObject({ name: "istio-ingressgateway", chart: "gateway", version: "1.30.3", namespace: "istio-system" });
      expect(inputs.values.service.type).toBe("LoadBalancer");
      expect(inputs.values.service.ports.map((p: { port: number }) => p.port)).toEqual([15021, 80]);
      expect(unknownValuePaths(inputs.values, "istio-gateway@1.30.3")).toEqual([]);
      // MetalLB's pool exists before a LoadBalancer Service asks it for an address.
      expect(release.dependsOn).toEqual([`mesh-${w}-istiod`, `${w}-metallb-pool`, `${w}-metallb-l2`]);
      const listener = plain(named(resources, "kubernetes:networking.istio.io/v1:Gateway", `mesh-${w}-ingress-listener`).inputs);
      validateModel(ISTIO, "Gateway", listener);
      // The chart labels the pods `istio: <name without istio->`: what the listener selects.
      expect(listener.spec.selector).toEqual({ istio: inputs.values.name.replace(/^istio-/, "") });
    }
  });

  test("every app has a route at every cluster's gateway, to its Service wherever its pods are", () => {
    for (const app of ["nginx", "ha-nginx", "nginx-dr", "guestbook"]) {
      for (const w of WORKLOADS) {
        const route = named(resources, "kubernetes:networking.istio.io/v1:VirtualService", `app-${app}-ingress-${w}`);
        expect(route.providers).toEqual([`${w}-k8s`]);
        const object = plain(route.inputs);
        validateModel(ISTIO, "VirtualService", object);
        expect(object.spec).toEqual({
          hosts: [`${app}.localhost`],
          gateways: ["istio-system/fleet-ingress"],
          http: [{ route: [{ destination: { host: `${app}.${app}.svc.cluster.local`, port: { number: 80 } } }] }],
        });
      }
    }
  });

  test("the workstation's entry proxies 127.0.0.1:38080 to every gateway, moving on when one fails", () => {
    const proxy = named(resources, "command:local:Command", "fleet-entry-proxy");
    const create: string = proxy.inputs.create;
    expect(create).toContain("docker run -d --name fleet-entry --network kind --restart unless-stopped -p 127.0.0.1:38080:8080 -e ENTRY_CONFIG nginx:1.29.3-alpine");
    expect(proxy.inputs.delete).toBe("docker rm -f fleet-entry >/dev/null 2>&1 || true");
    expect(proxy.dependsOn).toEqual(["kind-network-ensure"]);
    const config: string = proxy.inputs.environment.ENTRY_CONFIG;
    const servers = [...config.matchAll(/^\s*server (\S+) (.*);$/gm)].map((m) => [m[1], m[2]]);
    expect(servers).toEqual(WORKLOADS.map((w) => [`${mesh.clusters[w].ingressGatewayAddress}:80`, "max_fails=1 fail_timeout=10s"]));
    // A lost gateway (refused, timed out) is skipped; an app's own 5xx is an answer, not a lost gateway.
    expect(config).toMatch(/proxy_next_upstream error timeout;/);
    expect(config).not.toMatch(/http_50\d/);
    // Istio matches the app by its host name: the port the user typed is not part of it.
    expect(config).toMatch(/proxy_set_header Host \$host;/);
    expect(apps.nginx.url).toBe("http://nginx.localhost:38080");
  });

  test("a second fleet on the workstation takes its own entry container and port", async () => {
    const second = await stack("dev", { "platform:kind": { hostSlot: 2 } });
    const proxy = named(second.resources, "command:local:Command", "fleet-entry-proxy");
    expect(proxy.inputs.create).toContain("--name fleet-entry-h2 --network kind --restart unless-stopped -p 127.0.0.1:38082:8080");
    expect(second.apps.guestbook.url).toBe("http://guestbook.localhost:38082");
  });
});

describe("prod", () => {
  test("without a hosted zone: gateways on internet-facing NLBs, no DNS, no url", async () => {
    const { resources, apps } = await stack("prod");
    const values = plain(named(resources, "kubernetes:helm.sh/v3:Release", "mesh-west-ingress").inputs).values;
    expect(values.service.annotations).toEqual({
      "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
      "service.beta.kubernetes.io/load-balancer-source-ranges": "0.0.0.0/0",
    });
    expect(ofType(resources, "aws:route53/record:Record")).toEqual([]);
    expect(apps.nginx.url).toBeUndefined();
    expect(apps.nginx.ingressHost).toBe("nginx.localhost");
  });

  test("with a hosted zone: a health check per gateway, a latency record per app and cluster that runs it", async () => {
    const ingress = { domain: "apps.example.com", route53ZoneId: "Z0123456789ABC" };
    const { resources, apps, mesh } = await stack("prod", { "platform:ingress": ingress });
    const checks = ofType(resources, "aws:route53/healthCheck:HealthCheck");
    expect(checks.map((c) => c.name)).toEqual(["fleet-entry-west-health", "fleet-entry-east-health"]);
    for (const [i, check] of checks.entries()) {
      // The gateway's readiness probe, as Istio's gateway injection template sets it: /healthz/ready on 15021.
      expect(plain(check.inputs)).toMatchObject({ type: "HTTP", port: 15021, resourcePath: "/healthz/ready", failureThreshold: 3, requestInterval: 10 });
      // Each check asks its own cluster's gateway.
      expect(plain(check.inputs).fqdn).toBe(mesh.clusters[["west", "east"][i]].ingressGatewayAddress);
    }
    // Each record carries the check of the cluster it answers with.
    const checkIds = new Map(checks.map((c, i) => [["west", "east"][i], `${c.name}-id`]));
    const records = ofType(resources, "aws:route53/record:Record").map((r) => plain(r.inputs));
    // nginx and ha-nginx and the guestbook on both clusters; nginx-dr on west, east as its standby.
    expect(records.map((r) => [r.name, r.setIdentifier, r.latencyRoutingPolicies[0].region])).toEqual(
      ["nginx", "ha-nginx", "nginx-dr", "guestbook"].flatMap((app) => [
        [`${app}.apps.example.com`, "west", "us-west-2"],
        [`${app}.apps.example.com`, "east", "us-east-1"],
      ]),
    );
    for (const record of records) {
      expect(record).toMatchObject({ zoneId: "Z0123456789ABC", type: "CNAME", ttl: 60 });
      expect(record.records).toEqual([mesh.clusters[record.setIdentifier].ingressGatewayAddress]);
      expect(record.healthCheckId).toBe(checkIds.get(record.setIdentifier));
    }
    expect(apps.nginx.url).toBe("http://nginx.apps.example.com");
  });
});

test("Route 53 needs the zone's own domain and gateways its health checkers reach: refused, keyed, before any resource", () => {
  const messages = (ingress: object) => problemsOf({ ...fleet(kind("mgmt", "management"), kind("west")), ingress }).map((p) => p.message);
  expect(messages({ route53ZoneId: "Z0123456789ABC" })).toEqual(["ingress.domain is localhost: with ingress.route53ZoneId, give the hosted zone's domain"]);
  expect(messages({ route53ZoneId: "Z0123456789ABC", domain: "apps.example.com", allowedCidrs: ["198.51.100.0/24"] })).toEqual([
    "ingress.allowedCidrs 198.51.100.0/24 shuts out Route 53's health checkers: with ingress.route53ZoneId, the gateways must admit 0.0.0.0/0 " +
      "(Route 53 would otherwise see every cluster down and answer with all of them); an NLB's ranges cover its status port and the apps' alike, " +
      "so the apps are then public: protect them in the apps, or leave out ingress.route53ZoneId to restrict the NLBs (docs/prod.md, What the apps' ingress exposes)",
  ]);
  expect(messages({ route53ZoneId: "example" })).toEqual(['ingress.route53ZoneId "example": is not a Route 53 hosted zone ID']);
});
