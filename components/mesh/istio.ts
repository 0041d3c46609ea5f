import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshSettings } from "../../plan";
import { type Cluster, type ServiceShape, serviceValues } from "../cluster";
import { chartSource, GATEWAY_API_CRDS, ISTIO_HUB, ISTIO_VERSION, istioChart } from "../versions";
import type { IntermediateCa } from "./ca";
import { fleetIngressGateway, fleetWaypoint, INGRESS_GATEWAY, INGRESS_PORTS, ingressGatewayValues } from "./ingress";
import { ISTIO_NAMESPACE } from "./names";

export { ISTIO_NAMESPACE };
export const NETWORK_LABEL = "topology.istio.io/network";
const EAST_WEST = "istio-eastwestgateway";
/** The four ports of a sidecar-mode network gateway: status, mTLS passthrough, istiod, webhook. */
/** Ambient's east-west gateway carries HBONE only. */
const HBONE_PORT = 15008;
export const EAST_WEST_PORTS = {
  "status-port": { port: 15021, targetPort: 15021 },
  tls: { port: 15443, targetPort: 15443 },
  "tls-istiod": { port: 15012, targetPort: 15012 },
  "tls-webhook": { port: 15017, targetPort: 15017 },
};

export interface IstioClusterArgs {
  /** The workload cluster; its plan's `network` is its mesh network. */
  cluster: Cluster;
  mesh: MeshSettings;
  /** This cluster's plug-in CA and the shared root. */
  ca: IntermediateCa;
  rootCertPem: pulumi.Input<string>;
  /** What istiod's `meshConfig` adds (a tracing provider). Default nothing. */
  meshConfig?: Record<string, unknown>;
}

/**
 * Istio as one primary of a multi-primary, multi-network mesh, in this order: the network-labelled
 * `istio-system`, the plug-in CA in `cacerts`, the `base` and `istiod` charts, then, once istiod
 * (whose injection webhook fills in the gateway's pod) is ready, the east-west gateway and the
 * Gateway that exposes the cluster's services to the other networks; the apps' ingress gateway
 * (and in ambient mode their shared waypoint); mesh-wide STRICT mTLS.
 */
export class IstioCluster extends pulumi.ComponentResource {
  /** The `istio-system` namespace: remote secrets go there. */
  readonly namespace: k8s.core.v1.Namespace;
  /** The `base` chart: it creates the `istio-reader-service-account` remote secrets use. */
  readonly base: k8s.helm.v3.Release;
  readonly istiod: k8s.helm.v3.Release;
  /** Address of the east-west gateway, as the other clusters reach it. */
  readonly eastWestGatewayAddress: pulumi.Output<string>;
  /** Address of the apps' ingress gateway, as their users (or the fleet's entry) reach it on port 80. */
  readonly ingressGatewayAddress: pulumi.Output<string>;

  constructor(name: string, args: IstioClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:IstioCluster", name, {}, opts);
    const { cluster, mesh } = args;
    const network = cluster.spec.network;
    const inCluster = { parent: this, provider: cluster.provider };
    const chart = (chartName: string) => ({ ...chartSource(istioChart(chartName)), namespace: ISTIO_NAMESPACE });

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: ISTIO_NAMESPACE, labels: { [NETWORK_LABEL]: network } } },
      inCluster,
    );
    const cacerts = new k8s.core.v1.Secret(
      `${name}-cacerts`,
      {
        metadata: { name: "cacerts", namespace: this.namespace.metadata.name },
        stringData: {
          "ca-cert.pem": args.ca.certPem,
          "ca-key.pem": args.ca.privateKeyPem,
          "root-cert.pem": args.rootCertPem,
          "cert-chain.pem": args.ca.chainPem,
        },
      },
      inCluster,
    );
    this.base = new k8s.helm.v3.Release(`${name}-base`, { name: "istio-base", ...chart("base"), values: {} }, {
      ...inCluster,
      dependsOn: [this.namespace],
    });

    const ambient = mesh.mode === "ambient";
    // Ambient's east-west gateway is a Gateway API Gateway: its CRDs come before istiod watches them.
    const gatewayApi = ambient
      ? [new k8s.yaml.v2.ConfigFile(`${name}-gateway-api`, { file: GATEWAY_API_CRDS }, inCluster)]
      : [];
    // cacerts must exist before istiod starts, or istiod signs with a root of its own.
    this.istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      { name: "istiod", ...chart("istiod"), values: istiodValues(cluster, mesh, args.meshConfig) },
      { ...inCluster, dependsOn: [this.base, cacerts, ...gatewayApi] },
    );
    const dataPlane = ambient
      ? [
          new k8s.helm.v3.Release(`${name}-cni`, { name: "istio-cni", ...chart("cni"), values: cniValues() }, {
            ...inCluster,
            dependsOn: [this.istiod],
          }),
          new k8s.helm.v3.Release(`${name}-ztunnel`, { name: "ztunnel", ...chart("ztunnel"), values: ztunnelValues(cluster) }, {
            ...inCluster,
            dependsOn: [this.istiod],
          }),
        ]
      : [];
    const afterIstiod = { ...inCluster, dependsOn: [this.istiod, ...dataPlane] };
    // Other clusters find the gateway by its Service's load-balancer address.
    const reach = cluster.reach({
      service: "east-west-gateway",
      port: ambient ? HBONE_PORT : EAST_WEST_PORTS.tls.port,
      audience: "fleet",
      loadBalancer: true,
    });
    const gatewayReady = { ...inCluster, dependsOn: [this.istiod, ...dataPlane, ...reach.dependsOn] };

    // Istio names the Service of an `istio-east-west` gateway after the gateway, without a class
    // suffix; the chart names it after the release: both `istio-eastwestgateway`.
    const gateway = ambient
      ? new k8s.apiextensions.CustomResource(`${name}-eastwest`, ambientEastWestGateway(network, reach.service), gatewayReady)
      : new k8s.helm.v3.Release(
          `${name}-eastwest`,
          { name: EAST_WEST, ...chart("gateway"), values: eastWestValues(network, reach.service) },
          gatewayReady,
        );
    if (!ambient) new k8s.apiextensions.CustomResource(`${name}-cross-network`, crossNetworkGateway(), afterIstiod);
    if (ambient) new k8s.apiextensions.CustomResource(`${name}-waypoint`, fleetWaypoint(), afterIstiod);
    new k8s.apiextensions.CustomResource(`${name}-mtls`, strictMtls(), afterIstiod);
    this.eastWestGatewayAddress = reach
      .address({ name: `${name}-eastwest-service`, creator: gateway, id: `${ISTIO_NAMESPACE}/${EAST_WEST}`, parent: this })
      .apply((endpoint) => endpoint.host);
    // Users come in through the ingress gateway: its pods, like the east-west gateway's, are
    // filled in by istiod's injector.
    const ingressReach = cluster.reach({ service: "ingress-gateway", port: INGRESS_PORTS.http, audience: "public" });
    const ingress = new k8s.helm.v3.Release(
      `${name}-ingress`,
      { name: INGRESS_GATEWAY, ...chart("gateway"), values: ingressGatewayValues(ingressReach.service) },
      { ...inCluster, dependsOn: [this.istiod, ...dataPlane, ...ingressReach.dependsOn] },
    );
    new k8s.apiextensions.CustomResource(`${name}-ingress-listener`, fleetIngressGateway(), afterIstiod);
    this.ingressGatewayAddress = ingressReach
      .address({ name: `${name}-ingress-service`, creator: ingress, id: `${ISTIO_NAMESPACE}/${INGRESS_GATEWAY}`, parent: this })
      .apply((endpoint) => endpoint.host);
    this.registerOutputs({
      network,
      eastWestGatewayAddress: this.eastWestGatewayAddress,
      ingressGatewayAddress: this.ingressGatewayAddress,
    });
  }
}

/** istiod's multi-cluster identity, locality load balancing for failover, DNS proxying for remote-only services. */
export function istiodValues(cluster: Cluster, mesh: MeshSettings, extraMeshConfig: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    global: {
      hub: ISTIO_HUB,
      tag: ISTIO_VERSION,
      meshID: mesh.meshId,
      network: cluster.spec.network,
      multiCluster: { clusterName: cluster.name },
    },
    meshConfig: {
      // Failover to other localities needs outlier detection on the destination (app placement).
      localityLbSetting: { enabled: true },
      defaultConfig: {
        proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" },
      },
      ...extraMeshConfig,
    },
    ...(mesh.mode === "ambient"
      ? {
          profile: "ambient",
          // Multi-network ambient (off by default in 1.30); baggage, so that metrics of calls
          // across clusters name both clusters (istio/istio#58476), which Kiali's graph needs.
          env: { AMBIENT_ENABLE_MULTI_NETWORK: "true", AMBIENT_ENABLE_BAGGAGE: "true" },
        }
      : {}),
  };
}

export function cniValues(): Record<string, unknown> {
  return { profile: "ambient", global: { hub: ISTIO_HUB, tag: ISTIO_VERSION } };
}

export function ztunnelValues(cluster: Cluster): Record<string, unknown> {
  return {
    profile: "ambient",
    hub: ISTIO_HUB,
    tag: ISTIO_VERSION,
    multiCluster: { clusterName: cluster.name },
    network: cluster.spec.network,
  };
}

/**
 * The `gateway` chart as a network gateway. `networkGateway` makes the chart put the network
 * label on the pods and Service and set `ISTIO_META_REQUESTED_NETWORK_VIEW` on the proxy (setting
 * them again would duplicate them); the name gives the `app`/`istio: eastwestgateway` selector.
 */
export function eastWestValues(network: string, service: ServiceShape): Record<string, unknown> {
  return {
    name: EAST_WEST,
    networkGateway: network,
    networkGatewayPorts: EAST_WEST_PORTS,
    service: serviceValues(service),
  };
}

/** Exposes every `*.local` service of the cluster to the other networks through 15443. */
export function crossNetworkGateway() {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: "cross-network-gateway", namespace: ISTIO_NAMESPACE },
    spec: {
      selector: { istio: "eastwestgateway" },
      servers: [{ port: { number: 15443, name: "tls", protocol: "TLS" }, tls: { mode: "AUTO_PASSTHROUGH" }, hosts: ["*.local"] }],
    },
  };
}

/** Ambient's east-west gateway: a Gateway API Gateway of class `istio-east-west` on HBONE 15008. */
export function ambientEastWestGateway(network: string, service: ServiceShape) {
  const { annotations } = service;
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: {
      name: EAST_WEST,
      namespace: ISTIO_NAMESPACE,
      labels: { [NETWORK_LABEL]: network },
      // Programmed once Istio has deployed it and its Service has an address.
      annotations: { "pulumi.com/waitFor": "condition=Programmed" },
    },
    spec: {
      gatewayClassName: "istio-east-west",
      ...(Object.keys(annotations).length > 0 ? { infrastructure: { annotations } } : {}),
      listeners: [
        {
          name: "mesh",
          port: HBONE_PORT,
          protocol: "HBONE",
          tls: { mode: "Terminate", options: { "gateway.istio.io/tls-terminate-mode": "ISTIO_MUTUAL" } },
        },
      ],
    },
  };
}

/** Mesh-wide STRICT mTLS: a PeerAuthentication in the root namespace. */
export function strictMtls() {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name: "default", namespace: ISTIO_NAMESPACE },
    spec: { mtls: { mode: "STRICT" } },
  };
}
