import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { type BucketRequest, type Cluster, loadBalancerEndpoint } from "../../components/cluster";
import { alloyLogsConfig } from "../../components/observability/alloy-config";
import { LOKI_READER, LOKI_WRITER, lokiAccessRules } from "../../components/observability/gateway-auth";
import { FleetLogs, lokiDataSource } from "../../components/observability/logs";
import { alloyBlocks } from "../support/alloy-blocks";
import { unknownValuePaths } from "../support/chart-values";
import { fakeCluster, named, ofType, plain, type Recorded, runProgram, secretPaths, valueOf } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";

/**
 * Loki paths its values.yaml does not declare but its templates read: `loki.storage.bucketNames`
 * (loki chart 18.11.0 templates/_helpers.tpl:228,263, `dig "storage" "bucketNames" ...`, only a
 * comment in values.yaml), and `loki.limits_config.*`, rendered verbatim into Loki's
 * `limits_config` (values.yaml `loki.config`: `tpl (. | toYaml)` of `.Values.loki.limits_config`).
 */
const LOKI_PASS_THROUGH = ["loki.storage.bucketNames", "loki.limits_config.retention_period"];
const NLB = { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" };
const ROLE = "arn:aws:iam::123456789012:role/hub-logs";
/** Grafana queries Loki's own Service, which the other clusters do not reach; pushes go through the gateway. */
const QUERY_URL = "http://loki.logging.svc.cluster.local:3100";
const IN_CLUSTER_PUSH = "http://loki-gateway.logging.svc.cluster.local/loki/api/v1/push";
/** The gateway answers only with a credential, the writer's for pushes, the reader's for queries. */
const GATEWAY_AUTH = { basicAuth: { enabled: true, existingSecret: "loki-gateway-htpasswd" }, nginxConfig: lokiAccessRules() };
/** The fake kind reach answers `<cluster>.reach.example:<port>`; the EKS-like one reads the Service back. */
const KIND_PUSH = "http://mgmt.reach.example/loki/api/v1/push";
const EKS_PUSH = "http://logging-loki-gateway.elb.example.com/loki/api/v1/push";

type Run = { resources: Recorded[]; pushUrl: string; queryUrl: string };
let kind: Run;
let eks: Run;
const bucketRequests: BucketRequest[] = [];

/** A cluster like EKS: volumes of a class, buckets with IRSA annotations, a load balancer read back. */
function eksLike(name: string): Cluster {
  const base = fakeCluster(name, { provider: "eks", region: "eu-west-1" });
  return {
    ...base,
    reach: (request) => ({
      service: { type: "LoadBalancer", annotations: NLB },
      tlsNames: [],
      dependsOn: [],
      address: (read) => loadBalancerEndpoint(read, request.port, base.provider),
    }),
    persistentStorage: { storageClassName: "gp3", ready: [new pulumi.ComponentResource("test:index:StorageClass", "gp3-class")] },
    objectStorage: {
      bucket(request) {
        bucketRequests.push(request);
        const bucket = new pulumi.ComponentResource("test:index:Bucket", `${name}-${request.purpose}-bucket`);
        return {
          name: pulumi.output(`${name}-logs-20260820`),
          region: "eu-west-1",
          serviceAccountAnnotations: pulumi.output<Record<string, string>>({ "eks.amazonaws.com/role-arn": ROLE }),
          ready: [bucket],
        };
      },
    },
  };
}

async function run(program: () => FleetLogs): Promise<Run> {
  const { resources, result } = await runProgram({ stack: "dev", program });
  return { resources, pushUrl: await valueOf(result.pushUrl), queryUrl: result.queryUrl };
}

beforeAll(async () => {
  kind = await run(() => {
    const mgmt = fakeCluster("mgmt", { role: "management" });
    return new FleetLogs("platform-logs", { host: mgmt, clusters: [fakeCluster("west"), fakeCluster("east"), mgmt] });
  });
  eks = await run(() => {
    const hub = eksLike("hub");
    return new FleetLogs("platform-logs", { host: hub, clusters: [fakeCluster("west"), hub], retention: "720h", volume: "50Gi" });
  });
});

const release = (r: Run, name: string) => named(r.resources, "kubernetes:helm.sh/v3:Release", name);
/** A release's values, once its other inputs are checked: fixed name, `logging`, the pinned chart, the timeout. */
function chartValues(r: Recorded, name: string, version: string, repo: string) {
  const { values, ...inputs } = plain(r.inputs);
  // `compat` is added by the Kubernetes SDK to every Release.
  expect(inputs).toEqual({ name, namespace: "logging", chart: name, version, repositoryOpts: { repo }, timeout: 600, compat: "true" });
  return values;
}

/** What the Loki chart must be given whatever the host: one binary, one tenant, no caches, retention. */
function lokiCommon(objectStore: string, retention: string) {
  return {
    fullnameOverride: "loki",
    deploymentMode: "Monolithic",
    ...{ read: { replicas: 0 }, write: { replicas: 0 }, backend: { replicas: 0 } },
    ...{ chunksCache: { enabled: false }, resultsCache: { enabled: false }, lokiCanary: { enabled: false }, test: { enabled: false } },
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      schemaConfig: {
        configs: [{ from: "2024-04-01", store: "tsdb", object_store: objectStore, schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
      },
      compactor: { retention_enabled: true, delete_request_store: objectStore },
      limits_config: { retention_period: retention },
    },
  };
}

describe("Loki", () => {
  test("on a kind-like host: the community chart, pinned, filesystem on the default class, a node port for the fleet", () => {
    const loki = release(kind, "platform-logs-loki");
    expect(loki.providers).toEqual(["mgmt-k8s"]);
    const values = chartValues(loki, "loki", "18.11.0", "https://grafana-community.github.io/helm-charts");
    const common = lokiCommon("filesystem", "168h");
    expect(values).toEqual({
      ...common,
      loki: { ...common.loki, storage: { type: "filesystem" } },
      singleBinary: { replicas: 1, persistence: { size: "10Gi" } },
      gateway: { service: { port: 80, type: "NodePort", nodePort: 30080 }, ...GATEWAY_AUTH },
    });
    expect(unknownValuePaths(values, "loki@18.11.0", LOKI_PASS_THROUGH)).toEqual([]);
    expect(loki.dependsOn).toEqual(["platform-logs-gateway-htpasswd"]);
  });

  test("on an EKS-like host: chunks and rules in the host's bucket through IRSA, after the bucket exists", () => {
    expect(bucketRequests).toEqual([{ purpose: "logs", namespace: "logging", serviceAccount: "loki" }]);
    const loki = release(eks, "platform-logs-loki");
    expect(loki.providers).toEqual(["hub-k8s"]);
    const values = chartValues(loki, "loki", "18.11.0", "https://grafana-community.github.io/helm-charts");
    const common = lokiCommon("s3", "720h");
    expect(values).toEqual({
      ...common,
      loki: { ...common.loki, storage: { type: "s3", bucketNames: { chunks: "hub-logs-20260820", ruler: "hub-logs-20260820" }, s3: { region: "eu-west-1" } } },
      serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": ROLE } },
      singleBinary: { replicas: 1, persistence: { size: "50Gi", storageClass: "gp3" } },
      gateway: { service: { port: 80, type: "LoadBalancer", annotations: NLB }, ...GATEWAY_AUTH },
    });
    expect(unknownValuePaths(values, "loki@18.11.0", LOKI_PASS_THROUGH)).toEqual([]);
    // Bucket names are global: never the chart's example names.
    for (const bucket of Object.values(values.loki.storage.bucketNames)) expect(["chunks", "ruler", "admin"]).not.toContain(bucket);
    // The chart names its ServiceAccount after the fullname when no name is given: the one the bucket trusts.
    expect(values.serviceAccount.name).toBeUndefined();
    expect(values.fullnameOverride).toBe(bucketRequests[0].serviceAccount);
    expect(loki.dependsOn.sort()).toEqual(["gp3-class", "hub-logs-bucket", "platform-logs-gateway-htpasswd"]);
  });

  test("the fleet pushes to the gateway's address; Grafana queries its in-cluster Service", () => {
    expect(kind.pushUrl).toBe(KIND_PUSH);
    // Read back from the chart's gateway Service, `<fullname>-gateway` in `logging`, once the release exists.
    expect(eks.pushUrl).toBe(EKS_PUSH);
    const read = named(eks.resources, "kubernetes:core/v1:Service", "platform-logs-gateway");
    expect(read.dependsOn).toEqual(["platform-logs-loki"]);
    expect(read.providers).toEqual(["hub-k8s"]);
    for (const r of [kind, eks]) expect(r.queryUrl).toBe(QUERY_URL);
  });
});

describe("Alloy", () => {
  test("a DaemonSet on every listed cluster, pinned, with its cluster's label and the right push URL", () => {
    // The management cluster pushes in-cluster; the others through the gateway's fleet address.
    const kindPush = [[kind, "west", KIND_PUSH], [kind, "east", KIND_PUSH], [kind, "mgmt", IN_CLUSTER_PUSH]] as const;
    const expected = [...kindPush, [eks, "west", EKS_PUSH], [eks, "hub", IN_CLUSTER_PUSH]] as const;
    for (const r of [kind, eks]) {
      const alloys = ofType(r.resources, "kubernetes:helm.sh/v3:Release").filter((x) => x.name.endsWith("-alloy"));
      expect(alloys.map((a) => a.name)).toEqual(expected.filter(([run]) => run === r).map(([, c]) => `platform-logs-${c}-alloy`));
    }
    for (const [r, cluster, pushUrl] of expected) {
      const alloy = release(r, `platform-logs-${cluster}-alloy`);
      expect(alloy.providers).toEqual([`${cluster}-k8s`]);
      const values = chartValues(alloy, "alloy", "1.11.1", "https://grafana.github.io/helm-charts");
      expect(unknownValuePaths(values, "alloy@1.11.1", ["controller.podAnnotations"])).toEqual([]);
      const { content, ...configMap } = values.alloy.configMap;
      expect(alloy.dependsOn).toEqual([`platform-logs-${cluster}-push-credentials`]);
      // Every taint tolerated: kind's control-plane nodes keep theirs, and their pods' logs count too.
      // The writer's password, read at start, rolls the pods when it changes (by its SHA-256).
      const password = plain(named(r.resources, "kubernetes:core/v1:Secret", `platform-logs-${cluster}-push-credentials`).inputs).stringData.password;
      const podAnnotations = { "platform/push-credential-sha256": createHash("sha256").update(password).digest("hex") };
      expect(password).toBe("pw-platform-logs-writer-password");
      const controller = { type: "daemonset", tolerations: [{ operator: "Exists" }], podAnnotations };
      const env = [{ name: "LOKI_PUSH_PASSWORD", valueFrom: { secretKeyRef: { name: "loki-push-credentials", key: "password" } } }];
      const fixed = { fullnameOverride: "alloy", crds: { create: false }, controller, alloy: { configMap: {}, extraEnv: env } };
      expect({ ...values, alloy: { ...values.alloy, configMap } }).toEqual(fixed);
      expect(content).not.toContain("{{");
      const blocks = ['discovery.kubernetes "pods"', 'discovery.relabel "pods"', 'loki.source.kubernetes "pods"', 'loki.write "fleet"'];
      expect(alloyBlocks(content)).toEqual(blocks);
      expect(content).toContain(`external_labels = { cluster = "${cluster}" }`);
      // Retried without end: the default gives a batch up after 10 tries (about 8.5 min).
      expect(content).toMatch(new RegExp(`endpoint \\{\\s*url\\s+= "${pushUrl.replace(/[.]/g, "\\.")}"\\s*max_backoff_retries = 0\\s*basic_auth \\{\\s*username = "loki-writer"\\s*password = sys.env\\("LOKI_PUSH_PASSWORD"\\)\\s*\\}\\s*\\}`));
      expect(content).toContain('field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)');
      expect(content).toContain("forward_to = [loki.write.fleet.receiver]");
      expect(content).toContain("targets    = discovery.relabel.pods.output");
      for (const [source, target] of [["namespace", "namespace"], ["pod_name", "pod"], ["pod_container_name", "container"]]) {
        expect(content).toMatch(new RegExp(`source_labels = \\["__meta_kubernetes_${source}"\\]\\s*target_label  = "${target}"`));
      }
    }
  });

  test("the config refuses text Helm's tpl would read as a template", () => {
    expect(() => alloyLogsConfig("west", "http://loki/{{ .Values }}", "loki-writer")).toThrow(/tpl/);
    expect(alloyBlocks(alloyLogsConfig('we"st', "http://x", "loki-writer"))).toHaveLength(4);
  });
});

test("one logging Namespace per cluster, the host's shared by Loki and Alloy, each valid", () => {
  for (const [r, clusters] of [[kind, ["mgmt", "west", "east"]], [eks, ["hub", "west"]]] as const) {
    const namespaces = ofType(r.resources, "kubernetes:core/v1:Namespace");
    expect(namespaces.map((n) => n.providers[0]).sort()).toEqual(clusters.map((c) => `${c}-k8s`).sort());
    for (const n of namespaces) {
      validateK8s(n);
      expect(plain(n.inputs).metadata.name).toBe("logging");
    }
  }
});

test("Grafana's data source: Loki's in-cluster Service, with a fixed uid, nothing tpl would expand", () => {
  expect(lokiDataSource()).toEqual({ name: "Loki", type: "loki", uid: "loki", access: "proxy", url: QUERY_URL, editable: false });
  expect(lokiDataSource("http://logs.example").url).toBe("http://logs.example");
  expect(JSON.stringify(lokiDataSource())).not.toContain("{{");
});

test("refuses a cluster listed twice", async () => {
  const errors: string[] = [];
  await runProgram({
    stack: "dev",
    program: () => {
      const [mgmt, west] = [fakeCluster("mgmt"), fakeCluster("west")];
      try {
        new FleetLogs("bad", { host: mgmt, clusters: [west, west] });
      } catch (e) {
        errors.push((e as Error).message);
      }
    },
  });
  expect(errors).toEqual([expect.stringContaining("listed twice: west")]);
});

describe("the gateway's credentials", () => {
  test("the htpasswd Secret and every cluster's writer password are secret", () => {
    for (const r of [kind, eks]) {
      const users = named(r.resources, "kubernetes:core/v1:Secret", "platform-logs-gateway-htpasswd");
      expect(secretPaths(users.inputs.stringData, "stringData")).not.toEqual([]);
      validateK8s(users);
      const lines = plain(users.inputs.stringData)[".htpasswd"].trim().split("\n");
      expect(lines.map((l: string) => l.split(":")[0])).toEqual([LOKI_WRITER, LOKI_READER]);
      for (const push of ofType(r.resources, "kubernetes:core/v1:Secret").filter((x) => x.name.endsWith("-push-credentials"))) {
        expect(secretPaths(push.inputs.stringData, "stringData")).not.toEqual([]);
        expect(plain(push.inputs).metadata).toEqual({ name: "loki-push-credentials", namespace: "logging" });
      }
    }
  });
});
