import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cluster, ServiceShape } from "../cluster";
import { PROMETHEUS_GATEWAY_IMAGE } from "../versions";
import { accessMap, type GatewayUser, gatewayUser, HTPASSWD_KEY, htpasswd, refuseForbidden } from "./basic-auth";

/** Who may use the central Prometheus's gateway: the agents remote-write, readers query. */
export const PROMETHEUS_WRITER = "prometheus-writer";
export const PROMETHEUS_READER = "prometheus-reader";
/** The gateway's Deployment, Service and ConfigMap, and its pods' `app.kubernetes.io/name`. */
export const PROMETHEUS_GATEWAY = "prometheus-gateway";
/** The port nginx listens on in the unprivileged image (it may not bind below 1024). */
const LISTEN_PORT = 8080;
const HTPASSWD_SECRET = "prometheus-gateway-htpasswd";
const CONFIG_DIR = "/etc/nginx/platform";
const SECRETS_DIR = "/etc/nginx/secrets";

/**
 * Which user may use which path: the writer only remote-writes; the reader may use the rest of
 * the HTTP API (queries, series, labels, metadata, rules, targets, status) but never a write
 * path (the OTLP receiver, the TSDB admin API, both off today, refused all the same); nobody the
 * UI or `/-/reload` and `/-/quit` (the operator turns the lifecycle API on). No credential: 403.
 */
export function prometheusAccessRules(): string {
  return accessMap("prometheus_forbidden", [
    { user: PROMETHEUS_WRITER, path: "/api/v1/write$", allow: true },
    { path: "/api/v1/(write|otlp/|admin/)", allow: false },
    { user: PROMETHEUS_READER, path: "/api/v1/", allow: true },
  ]);
}

/**
 * nginx's whole config: basic auth from the mounted htpasswd, the access map, everything
 * allowed passed to Prometheus's in-cluster Service. The credential is not passed on. Temporary
 * files go to `/tmp`, the root filesystem being read-only. Remote-write batches stay well under
 * 16 MiB; a query may run Prometheus's 2 min timeout.
 */
export function prometheusGatewayConfig(upstream: string): string {
  return `worker_processes 1;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;
events {
  worker_connections 1024;
}
http {
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;
  access_log /dev/stdout;
  client_max_body_size 16m;
  proxy_read_timeout 150s;
${prometheusAccessRules()}
  server {
    listen ${LISTEN_PORT};
    location = /healthz {
      access_log off;
      return 200 "ok\\n";
    }
    location / {
      auth_basic "prometheus";
      auth_basic_user_file ${SECRETS_DIR}/${HTPASSWD_KEY};
      ${refuseForbidden("prometheus_forbidden")}
      proxy_set_header Authorization "";
      proxy_pass ${upstream};
    }
  }
}
`;
}

export interface PrometheusGatewayArgs {
  /** The management cluster. */
  host: Cluster;
  /** The namespace of Prometheus, where the gateway runs. */
  namespace: string;
  /** What must exist before the gateway's objects: its namespace. */
  ready: pulumi.Resource[];
  /** The shape of the gateway's Service, as the host answered for the fleet's `prometheus`. */
  service: ServiceShape;
  /** The port of the gateway's Service: the fleet's remote-write and query URLs use it. */
  port: number;
  /** Prometheus's in-cluster URL, `http://host:port`. */
  upstream: string;
  /**
   * What the pods and the Service wait for: Prometheus's release (nginx resolves its Service at
   * start; the release frees the node port the gateway's Service takes over) and what the host's
   * answer asks for.
   */
  dependsOn: pulumi.Resource[];
}

/**
 * The central Prometheus's address for the fleet: nginx with basic auth in front of its
 * in-cluster Service. Two credentials, generated: the agents' writer, which may only remote-write,
 * and the reader, which may only query. Two replicas: an agent's writes wait out a restart.
 */
export class PrometheusGateway extends pulumi.ComponentResource {
  readonly writer: GatewayUser;
  readonly reader: GatewayUser;
  /** The fleet-facing Service, where the fleet's address is read back. */
  readonly service: k8s.core.v1.Service;

  constructor(name: string, args: PrometheusGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:PrometheusGateway", name, {}, opts);
    const inHost = { parent: this, provider: args.host.provider };
    this.writer = gatewayUser(`${name}-writer-password`, PROMETHEUS_WRITER, this);
    this.reader = gatewayUser(`${name}-reader-password`, PROMETHEUS_READER, this);
    const metadata = { namespace: args.namespace };
    const inNamespace = { ...inHost, dependsOn: args.ready };
    const users = new k8s.core.v1.Secret(
      `${name}-htpasswd`,
      { metadata: { ...metadata, name: HTPASSWD_SECRET }, stringData: { [HTPASSWD_KEY]: htpasswd([this.writer, this.reader]) } },
      inNamespace,
    );
    const config = prometheusGatewayConfig(args.upstream);
    const configMap = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: { ...metadata, name: PROMETHEUS_GATEWAY }, data: { "nginx.conf": config } }, inNamespace);
    const labels = { "app.kubernetes.io/name": PROMETHEUS_GATEWAY };
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      { metadata: { ...metadata, name: PROMETHEUS_GATEWAY, labels }, spec: gatewayPodSpec(labels, config) },
      { ...inHost, dependsOn: [users, configMap, ...args.dependsOn] },
    );
    const { service } = args;
    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { ...metadata, name: PROMETHEUS_GATEWAY, labels, ...(service.type === "LoadBalancer" ? { annotations: service.annotations } : {}) },
        spec: {
          type: service.type,
          selector: labels,
          ports: [{ name: "http", port: args.port, targetPort: LISTEN_PORT, ...(service.nodePort !== undefined ? { nodePort: service.nodePort } : {}) }],
        },
      },
      { ...inHost, dependsOn: [deployment, ...args.dependsOn] },
    );
    this.registerOutputs({});
  }
}

/** The gateway's pods: non-root on a read-only root, restarted when the config changes (nginx reads it once). */
function gatewayPodSpec(labels: Record<string, string>, config: string): k8s.types.input.apps.v1.DeploymentSpec {
  const probe = { httpGet: { path: "/healthz", port: LISTEN_PORT } };
  return {
    replicas: 2,
    selector: { matchLabels: labels },
    template: {
      metadata: { labels, annotations: { "platform/config-sha256": createHash("sha256").update(config).digest("hex") } },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "nginx",
            image: PROMETHEUS_GATEWAY_IMAGE,
            command: ["nginx", "-c", `${CONFIG_DIR}/nginx.conf`, "-g", "daemon off;"],
            ports: [{ name: "http", containerPort: LISTEN_PORT }],
            readinessProbe: probe,
            livenessProbe: probe,
            resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "128Mi" } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            volumeMounts: [
              { name: "config", mountPath: CONFIG_DIR, readOnly: true },
              { name: "users", mountPath: SECRETS_DIR, readOnly: true },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        volumes: [
          { name: "config", configMap: { name: PROMETHEUS_GATEWAY } },
          { name: "users", secret: { secretName: HTPASSWD_SECRET } },
          { name: "tmp", emptyDir: {} },
        ],
      },
    },
  };
}
