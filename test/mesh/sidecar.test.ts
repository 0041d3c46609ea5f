import * as pulumi from "@pulumi/pulumi";
import { createPrivateKey, X509Certificate } from "crypto";
import forge from "node-forge";
import { unknownValuePaths } from "../support/chart-values";
import { named, ofType, plain, Recorded, runProgram, secretValue, stackConfig, valueOf } from "../support/harness";
import { validateModel } from "../support/k8s-schema";

// The dev stack (sidecar mode, the default) with a third workload cluster appended: it must
// join the mesh with remote secrets both ways and no code change.
const WORKLOADS = ["west", "east", "north"];
let resources: Recorded[];
let program: typeof import("../../index");
let lbCidrs: Record<string, string>;

beforeAll(async () => {
  const config = stackConfig("dev");
  (config["platform:clusters"] as unknown[]).push({ name: "north", role: "workload", provider: "kind" });
  const run = await runProgram({ stack: "dev", config, program: () => import("../../index") });
  resources = run.resources;
  program = run.result;
  const clusters = await valueOf(program.clusters);
  lbCidrs = Object.fromEntries(WORKLOADS.map((w) => [w, clusters[w].lbCidr!]));
});

const inputs = (type: string, name: string) => plain(named(resources, type, name).inputs);
const SECRET = "kubernetes:core/v1:Secret";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const ISTIO_GATEWAY = "kubernetes:networking.istio.io/v1:Gateway";
const PEER_AUTHENTICATION = "kubernetes:security.istio.io/v1:PeerAuthentication";
const POOL = "kubernetes:metallb.io/v1beta1:IPAddressPool";
const L2 = "kubernetes:metallb.io/v1beta1:L2Advertisement";

describe("shared root of trust", () => {
  const cacerts = (w: string) => named(resources, SECRET, `mesh-${w}-cacerts`);

  test("each cluster's cacerts holds its intermediate, chained to the one root", () => {
    const roots = new Set<string>();
    for (const w of WORKLOADS) {
      const data = secretValue(cacerts(w).inputs.stringData);
      expect(Object.keys(data).sort()).toEqual(["ca-cert.pem", "ca-key.pem", "cert-chain.pem", "root-cert.pem"]);
      const root = new X509Certificate(data["root-cert.pem"]);
      const intermediate = new X509Certificate(data["ca-cert.pem"]);
      roots.add(root.fingerprint256);
      expect(intermediate.verify(root.publicKey)).toBe(true);
      expect(intermediate.checkIssued(root)).toBe(true);
      expect(intermediate.ca).toBe(true);
      expect(intermediate.checkPrivateKey(createPrivateKey(data["ca-key.pem"]))).toBe(true);
      expect(data["cert-chain.pem"]).toBe(`${data["ca-cert.pem"].trimEnd()}\n${data["root-cert.pem"].trimEnd()}\n`);
      // A CA with certificate signing allowed. Its path length is unconstrained: tls 5.6.1 writes
      // `maxPathLength: 0` as no constraint (Go's MaxPathLenZero is never set).
      const parsed = forge.pki.certificateFromPem(data["ca-cert.pem"]);
      expect(parsed.getExtension("basicConstraints")).toMatchObject({ cA: true });
      expect((parsed.getExtension("basicConstraints") as { pathLenConstraint?: number }).pathLenConstraint).toBeUndefined();
      expect(parsed.getExtension("keyUsage")).toMatchObject({ keyCertSign: true });
      expect(intermediate.subject).toContain(`L=${w}`);
    }
    expect(roots.size).toBe(1);
  });

  test("keys are RSA 4096 and the CA certificates have no extended key usage", () => {
    for (const key of ofType(resources, "tls:index/privateKey:PrivateKey")) expect(key.inputs).toMatchObject({ algorithm: "RSA", rsaBits: 4096 });
    for (const cert of [...ofType(resources, "tls:index/selfSignedCert:SelfSignedCert"), ...ofType(resources, "tls:index/locallySignedCert:LocallySignedCert")]) {
      expect(cert.inputs.allowedUses).toEqual(["cert_signing", "crl_signing", "digital_signature", "key_encipherment"]);
      expect(cert.inputs.isCaCertificate).toBe(true);
    }
  });

  test("private keys reach the cluster only inside a secret, and never an output", async () => {
    for (const w of WORKLOADS) expect(() => secretValue(cacerts(w).inputs.stringData)).not.toThrow();
    const mesh = await valueOf(program.mesh);
    expect(JSON.stringify(mesh)).not.toMatch(/PRIVATE KEY/);
    expect(mesh.rootCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await pulumi.isSecret(program.mesh)).toBe(false);
  });
});

describe("per workload cluster", () => {
  test("istio-system carries the network label; istiod waits for base and cacerts", () => {
    for (const w of WORKLOADS) {
      expect(inputs("kubernetes:core/v1:Namespace", `mesh-${w}-namespace`).metadata).toEqual({
        name: "istio-system",
        labels: { "topology.istio.io/network": w },
      });
      const istiod = named(resources, RELEASE, `mesh-${w}-istiod`);
      expect(istiod.dependsOn).toEqual([`mesh-${w}-base`, `mesh-${w}-cacerts`]);
      expect(istiod.providers).toEqual([`${w}-k8s`]);
    }
  });

  test("istiod joins the mesh as its own cluster on its own network, images from Docker Hub", () => {
    for (const w of WORKLOADS) {
      const release = inputs(RELEASE, `mesh-${w}-istiod`);
      expect(release).toMatchObject({ chart: "istiod", version: "1.30.3", namespace: "istio-system", repositoryOpts: { repo: "https://blob.istio.io/istio-release/charts" } });
      expect(release.values.global).toEqual({
        hub: "docker.io/istio",
        tag: "1.30.3",
        meshID: "platform",
        network: w,
        multiCluster: { clusterName: w },
      });
      expect(release.values.meshConfig.localityLbSetting).toEqual({ enabled: true });
      expect(release.values.meshConfig.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: "true" });
      expect(release.values.profile).toBeUndefined();
      expect(unknownValuePaths(release.values, "istiod@1.30.3", ["meshConfig"])).toEqual([]);
      expect(unknownValuePaths(inputs(RELEASE, `mesh-${w}-base`).values, "istio-base@1.30.3")).toEqual([]);
    }
  });

  test("the east-west gateway: a network gateway (label, requested network view) with the four ports, a LoadBalancer after istiod and MetalLB", () => {
    for (const w of WORKLOADS) {
      const gateway = named(resources, RELEASE, `mesh-${w}-eastwest`);
      expect(gateway.dependsOn).toEqual([`mesh-${w}-istiod`, `${w}-metallb-pool`, `${w}-metallb-l2`]);
      const values = plain(gateway.inputs).values;
      // `networkGateway` is what makes the chart label pods and Service with the network and set
      // ISTIO_META_REQUESTED_NETWORK_VIEW; the name yields the `istio: eastwestgateway` selector.
      expect(values).toEqual({
        name: "istio-eastwestgateway",
        networkGateway: w,
        networkGatewayPorts: {
          "status-port": { port: 15021, targetPort: 15021 },
          tls: { port: 15443, targetPort: 15443 },
          "tls-istiod": { port: 15012, targetPort: 15012 },
          "tls-webhook": { port: 15017, targetPort: 15017 },
        },
        service: { type: "LoadBalancer", annotations: {} },
      });
      expect(unknownValuePaths(values, "istio-gateway@1.30.3")).toEqual([]);
    }
  });

  test("the cross-network Gateway and STRICT mTLS are valid Istio objects, created after istiod", () => {
    for (const w of WORKLOADS) {
      const gateway = named(resources, ISTIO_GATEWAY, `mesh-${w}-cross-network`);
      expect(gateway.dependsOn).toEqual([`mesh-${w}-istiod`]);
      const object = plain(gateway.inputs);
      expect(object.spec).toEqual({
        selector: { istio: "eastwestgateway" },
        servers: [{ port: { number: 15443, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] }],
      });
      validateModel("@kubernetes-models/istio/networking.istio.io/v1", "Gateway", object);
      const mtls = plain(named(resources, PEER_AUTHENTICATION, `mesh-${w}-mtls`).inputs);
      expect(mtls).toMatchObject({ metadata: { name: "default", namespace: "istio-system" }, spec: { mtls: { mode: "STRICT" } } });
      validateModel("@kubernetes-models/istio/security.istio.io/v1", "PeerAuthentication", mtls);
    }
  });

  test("the schema check rejects a malformed Istio Gateway", () => {
    const object = plain(named(resources, ISTIO_GATEWAY, "mesh-west-cross-network").inputs);
    expect(() => validateModel("@kubernetes-models/istio/networking.istio.io/v1", "Gateway", { ...object, spec: { servers: [{ port: { number: "x" } }] } })).toThrow();
  });
});

describe("MetalLB on kind", () => {
  test("each cluster announces its own pool from the plan, after the chart, in plain L2 mode", () => {
    for (const w of WORKLOADS) {
      const release = named(resources, RELEASE, `${w}-metallb-release`);
      expect(plain(release.inputs)).toMatchObject({ chart: "metallb", version: "0.16.1", values: { frrk8s: { enabled: false } } });
      expect(unknownValuePaths(plain(release.inputs).values, "metallb@0.16.1")).toEqual([]);
      const pool = named(resources, POOL, `${w}-metallb-pool`);
      // After the webhook accepts a dry run of the very pool: its controller reports ready before it serves.
      expect(pool.dependsOn).toEqual([`${w}-metallb-webhook-ready`]);
      expect(named(resources, "command:local:Command", `${w}-metallb-webhook-ready`).dependsOn).toEqual([`${w}-metallb-release`]);
      expect(plain(pool.inputs)).toEqual({
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: "platform", namespace: "metallb-system" },
        spec: { addresses: [lbCidrs[w]], autoAssign: true },
      });
      expect(plain(named(resources, L2, `${w}-metallb-l2`).inputs).spec).toEqual({ ipAddressPools: ["platform"] });
    }
  });

  test("the pools lie inside the docker kind network and are disjoint", () => {
    const toRange = (cidr: string) => {
      const [ip, bits] = cidr.split("/");
      const base = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
      return [base, base + 2 ** (32 - Number(bits)) - 1];
    };
    const [k0, k1] = toRange("172.18.0.0/16");
    const ranges = WORKLOADS.map((w) => toRange(lbCidrs[w]));
    for (const [a0, a1] of ranges) expect(a0 >= k0 && a1 <= k1).toBe(true);
    ranges.forEach(([a0, a1], i) => ranges.slice(0, i).forEach(([b0, b1]) => expect(a0 <= b1 && b0 <= a1).toBe(false)));
  });
});

describe("remote secrets", () => {
  test("one labelled secret per cluster, holding under each other cluster's name a kubeconfig for it with its reader token", () => {
    const remotes = ofType(resources, SECRET).filter((r) => plain(r.inputs).metadata?.labels?.["istio/multiCluster"] === "true");
    expect(remotes.map((r) => r.name).sort()).toEqual(WORKLOADS.map((a) => `mesh-${a}-remotes`).sort());
    for (const a of WORKLOADS) {
      const secret = named(resources, SECRET, `mesh-${a}-remotes`);
      expect(secret.providers).toEqual([`${a}-k8s`]);
      expect(secret.dependsOn).toEqual([`mesh-${a}-namespace`, `mesh-${a}-retire-pair-secrets`]);
      const object = plain(secret.inputs);
      // istiod takes any name; istioctl's per-remote annotation would name one cluster of several.
      expect(object.metadata).toEqual({ name: "istio-remote-secrets", namespace: "istio-system", labels: { "istio/multiCluster": "true" } });
      const others = WORKLOADS.filter((x) => x !== a);
      expect(Object.keys(object.stringData).sort()).toEqual([...others].sort());
      for (const b of others) {
        const kubeconfig = JSON.parse(object.stringData[b]);
        expect(kubeconfig.clusters[0]).toEqual({
          name: b,
          cluster: {
            server: `https://${b}-control-plane:6443`,
            "certificate-authority-data": Buffer.from(`CA bundle for ${b}:istio-system/istio-reader-service-account`).toString("base64"),
          },
        });
        expect(kubeconfig.users[0].user).toEqual({ token: `TOKEN of ${b}:istio-system/istio-reader-service-account` });
      }
      expect(() => secretValue(secret.inputs.stringData)).not.toThrow();
    }
  });

  test("the reader identity is the chart's istio-reader-service-account: nothing created, nothing bound", () => {
    for (const w of WORKLOADS) {
      expect(resources.filter((r) => r.name.startsWith(`mesh-${w}-reader-`)).map((r) => r.type)).toEqual([SECRET]);
      const token = named(resources, SECRET, `mesh-${w}-reader-token`);
      expect(token.dependsOn).toEqual([`mesh-${w}-base`, `mesh-${w}-istiod`]);
      expect(plain(token.inputs).metadata.annotations).toEqual({ "kubernetes.io/service-account.name": "istio-reader-service-account", "pulumi.com/waitFor": "jsonpath={.data.token}" });
    }
    expect(ofType(resources, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").some((r) => r.name.startsWith("mesh-"))).toBe(false);
  });
});

test("the mesh output follows the contract", async () => {
  const mesh = await valueOf(program.mesh);
  expect(mesh.meshID).toBe("platform");
  expect(mesh.mode).toBe("sidecar");
  expect(mesh.clusters).toEqual(
    Object.fromEntries(
      WORKLOADS.map((w) => [
        w,
        {
          network: w,
          eastWestGatewayAddress: "istio-system-istio-eastwestgateway.elb.example.com",
          ingressGatewayAddress: "istio-system-istio-ingressgateway.elb.example.com",
        },
      ]),
    ),
  );
});
