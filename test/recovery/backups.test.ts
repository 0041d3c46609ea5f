import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BucketRequest, Cluster, ObjectBucket } from "../../components/cluster";
import { ManagementBackups, SEAWEEDFS_PASS_THROUGH } from "../../components/recovery";
import { unknownValuePaths } from "../support/chart-values";
import { crdProblems } from "../support/crd-schema";
import { fakeCluster, named, ofType, plain, type Recorded, runProgram, secretValue, valueOf } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";

// Management-plane backups: Velero with a bucket of the cloud (EKS-like host) or an in-cluster
// SeaweedFS store (kind-like host).
const RELEASE = "kubernetes:helm.sh/v3:Release";
const SCHEDULE = "kubernetes:velero.io/v1:Schedule";
/** Velero's chart renders `serviceAccount.server.annotations` verbatim (templates/serviceaccount-server.yaml:6-9). */
const VELERO_PASS_THROUGH = ["serviceAccount.server.annotations"];
const ROLE = "arn:aws:iam::123456789012:role/mgmt-backups";
const PLUGIN = { name: "velero-plugin-for-aws", image: "velero/velero-plugin-for-aws:v1.14.3", imagePullPolicy: "IfNotPresent", volumeMounts: [{ mountPath: "/target", name: "plugins" }] };

type Run = { resources: Recorded[]; location: string; requests: BucketRequest[] };

async function run(cloud: boolean): Promise<Run> {
  const requests: BucketRequest[] = [];
  let location!: pulumi.Output<string>;
  const { resources } = await runProgram({
    stack: cloud ? "prod" : "dev",
    program: () => {
      let host: Cluster = fakeCluster("mgmt", { role: "management" });
      if (cloud) {
        const bucketReady = new random.RandomId("fake-bucket", { byteLength: 4 });
        host = {
          ...host,
          persistentStorage: { storageClassName: "gp3", ready: [] },
          objectStorage: {
            bucket(request: BucketRequest): ObjectBucket {
              requests.push(request);
              return {
                name: pulumi.output("prod-mgmt-backups-1a2b"),
                region: "eu-west-1",
                serviceAccountAnnotations: pulumi.output<Record<string, string>>({ "eks.amazonaws.com/role-arn": ROLE }),
                ready: [bucketReady],
              };
            },
          },
        };
      }
      location = new ManagementBackups("bk", { host }).backupLocation;
    },
  });
  return { resources, location: await valueOf(location), requests };
}

let kind: Run;
let eks: Run;
beforeAll(async () => {
  kind = await run(false);
  eks = await run(true);
});

const release = (r: Run, name: string) => named(r.resources, RELEASE, name);

/**
 * The object the chart renders from one `configuration.backupStorageLocation` entry
 * (vmware-tanzu/helm-charts velero-12.1.0 templates/backupstoragelocation.yaml: `accessMode`
 * defaults to ReadWrite, `config` values are quoted strings).
 */
function renderedLocation(entry: Record<string, any>) {
  return {
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: { name: entry.name, namespace: "velero" },
    spec: {
      provider: entry.provider,
      accessMode: entry.accessMode ?? "ReadWrite",
      ...(entry.default ? { default: entry.default } : {}),
      objectStorage: { bucket: String(entry.bucket), ...(entry.prefix ? { prefix: String(entry.prefix) } : {}) },
      config: Object.fromEntries(Object.entries(entry.config).map(([k, v]) => [k, String(v)])),
    },
  };
}

describe("kind-like host: an in-cluster SeaweedFS store", () => {
  test("SeaweedFS all-in-one with S3 auth, a velero bucket and keys from @pulumi/random (secret)", () => {
    const store = release(kind, "bk-store-release");
    expect(store.providers).toEqual(["mgmt-k8s"]);
    expect(store.inputs).toMatchObject({ name: "seaweedfs", namespace: "backup-store", chart: "seaweedfs", version: "4.44.0" });
    expect(store.inputs.repositoryOpts).toEqual({ repo: "https://seaweedfs.github.io/seaweedfs/helm" });
    const values = secretValue(store.inputs.values);
    expect(unknownValuePaths(plain(values), "seaweedfs@4.44.0", SEAWEEDFS_PASS_THROUGH)).toEqual([]);
    expect(plain(values)).toEqual({
      master: { enabled: false },
      volume: { enabled: false },
      filer: { enabled: false },
      allInOne: {
        enabled: true,
        s3: { enabled: true, enableAuth: true, createBuckets: [{ name: "velero" }] },
        data: { type: "persistentVolumeClaim", size: "10Gi" },
      },
      s3: {
        credentials: {
          admin: { accessKey: "pw-bk-store-admin-ac", secretKey: "pw-bk-store-admin-secret-keyxxxxxxxxxxxx" },
          read: { accessKey: "pw-bk-store-read-acc", secretKey: "pw-bk-store-read-secret-keyxxxxxxxxxxxxx" },
        },
      },
    });
    expect(store.dependsOn).toEqual(["bk-store-namespace"]);
    const passwords = ofType(kind.resources, "random:index/randomPassword:RandomPassword");
    expect(passwords.map((p) => [p.name, p.inputs.length, p.inputs.special])).toEqual([
      ["bk-store-admin-access-key", 20, false],
      ["bk-store-admin-secret-key", 40, false],
      ["bk-store-read-access-key", 20, false],
      ["bk-store-read-secret-key", 40, false],
    ]);
  });

  test("Velero: the store's admin keys as a credentials file (secret), path-style S3 at the store's Service, node agent", () => {
    const velero = release(kind, "bk-velero");
    expect(velero.inputs).toMatchObject({ name: "velero", namespace: "velero", chart: "velero", version: "12.1.0" });
    expect(velero.dependsOn).toEqual(["bk-namespace", "bk-store-release"]);
    const values = plain(secretValue(velero.inputs.values));
    expect(unknownValuePaths(values, "velero@12.1.0")).toEqual([]);
    expect(values).toEqual({
      fullnameOverride: "velero",
      initContainers: [PLUGIN],
      upgradeCRDs: true,
      configuration: {
        backupStorageLocation: [
          { name: "default", provider: "aws", bucket: "velero", prefix: "mgmt", default: true, config: { region: "us-east-1", s3ForcePathStyle: "true", s3Url: "http://seaweedfs-all-in-one.backup-store:8333" } },
        ],
        defaultVolumesToFsBackup: true,
      },
      credentials: {
        useSecret: true,
        secretContents: {
          cloud:
            "[default]\naws_access_key_id=pw-bk-store-admin-ac\naws_secret_access_key=pw-bk-store-admin-secret-keyxxxxxxxxxxxx\n",
        },
      },
      snapshotsEnabled: false,
      deployNodeAgent: true,
    });
    expect(crdProblems("velero.io_backupstoragelocations@1.18.1", renderedLocation(values.configuration.backupStorageLocation[0]))).toEqual([]);
  });

  test("the S3 URL names the Service the SeaweedFS chart renders for the release", () => {
    const store = plain(release(kind, "bk-store-release").inputs);
    // seaweedfs@4.44 templates/shared/_helpers.tpl:7-18 (fullname: the release name when it
    // contains the chart name, else `<release>-seaweedfs`; no fullnameOverride set) and 24-34
    // (componentName: fullname cut to 62 - len(suffix), then `-<suffix>`), used by
    // templates/all-in-one/all-in-one-service.yml:5 with suffix "all-in-one"; its S3 port is
    // `allInOne.s3.port` or else `s3.port`, 8333 in values.yaml (all-in-one-service.yml:80).
    expect(store.values.fullnameOverride).toBeUndefined();
    const fullname = store.name.includes("seaweedfs") ? store.name : `${store.name}-seaweedfs`;
    const service = `${fullname.slice(0, 62 - "all-in-one".length).replace(/-+$/, "")}-all-in-one`;
    const port = store.values.allInOne.s3.port ?? 8333;
    const bsl = plain(release(kind, "bk-velero").inputs.values).configuration.backupStorageLocation[0];
    expect(bsl.config.s3Url).toBe(`http://${service}.${store.namespace}:${port}`);
    expect(bsl.bucket).toBe(store.values.allInOne.s3.createBuckets[0].name);
    expect(kind.location).toBe("s3://velero/mgmt/ at http://seaweedfs-all-in-one.backup-store:8333 (SeaweedFS in mgmt)");
  });

  test("the Schedule copies pod volumes file by file, and is valid against Velero's CRD", () => {
    const schedule = named(kind.resources, SCHEDULE, "bk-schedule");
    expect(schedule.dependsOn).toEqual(["bk-velero"]);
    expect(schedule.providers).toEqual(["mgmt-k8s"]);
    const object = plain(schedule.inputs);
    expect(crdProblems("velero.io_schedules@1.18.1", object)).toEqual([]);
    expect(object.metadata).toEqual({ name: "management-plane", namespace: "velero" });
    expect(object.spec).toEqual({
      schedule: "0 3 * * *",
      skipImmediately: true,
      template: {
        ttl: "720h",
        storageLocation: "default",
        includedNamespaces: ["karmada-system", "argocd", "monitoring", "gitops"],
        includeClusterResources: true,
        excludedResources: ["events", "events.events.k8s.io"],
        snapshotVolumes: false,
        defaultVolumesToFsBackup: true,
      },
    });
  });
});

describe("EKS-like host: a bucket of the cloud's object store", () => {
  test("the bucket is asked for Velero's server ServiceAccount; no store, no random keys", () => {
    // Velero also snapshots the cluster's volumes with the bucket's identity.
    expect(eks.requests).toEqual([{ purpose: "backups", namespace: "velero", serviceAccount: "velero-server", volumeSnapshots: true }]);
    expect(ofType(eks.resources, RELEASE).map((r) => r.name)).toEqual(["bk-velero"]);
    expect(ofType(eks.resources, "random:index/randomPassword:RandomPassword")).toEqual([]);
    expect(eks.location).toBe("s3://prod-mgmt-backups-1a2b/mgmt/ (S3, eu-west-1)");
  });

  test("Velero: IRSA on the server ServiceAccount, no Secret, EBS snapshots; after the bucket and its role", () => {
    const velero = release(eks, "bk-velero");
    expect(velero.dependsOn).toEqual(["bk-namespace", "fake-bucket"]);
    expect(velero.inputs.values.credentials).toEqual({ useSecret: false });
    const values = plain(velero.inputs.values);
    expect(unknownValuePaths(values, "velero@12.1.0", VELERO_PASS_THROUGH)).toEqual([]);
    expect(values).toEqual({
      fullnameOverride: "velero",
      initContainers: [PLUGIN],
      upgradeCRDs: true,
      configuration: {
        backupStorageLocation: [
          { name: "default", provider: "aws", bucket: "prod-mgmt-backups-1a2b", prefix: "mgmt", default: true, config: { region: "eu-west-1" } },
        ],
        volumeSnapshotLocation: [{ name: "default", provider: "aws", config: { region: "eu-west-1" } }],
      },
      credentials: { useSecret: false },
      serviceAccount: { server: { annotations: { "eks.amazonaws.com/role-arn": ROLE } } },
      podSecurityContext: { fsGroup: 65534 },
      snapshotsEnabled: true,
      deployNodeAgent: false,
    });
    expect(crdProblems("velero.io_backupstoragelocations@1.18.1", renderedLocation(values.configuration.backupStorageLocation[0]))).toEqual([]);
    const [vsl] = values.configuration.volumeSnapshotLocation;
    // templates/volumesnapshotlocation.yaml: provider and quoted config.
    const rendered = { apiVersion: "velero.io/v1", kind: "VolumeSnapshotLocation", metadata: { name: vsl.name }, spec: { provider: vsl.provider, config: vsl.config } };
    expect(crdProblems("velero.io_volumesnapshotlocations@1.18.1", rendered)).toEqual([]);
  });

  test("the Schedule snapshots volumes at the snapshot location, and is valid against Velero's CRD", () => {
    const object = plain(named(eks.resources, SCHEDULE, "bk-schedule").inputs);
    expect(crdProblems("velero.io_schedules@1.18.1", object)).toEqual([]);
    expect(object.spec.template).toEqual({
      ttl: "720h",
      storageLocation: "default",
      includedNamespaces: ["karmada-system", "argocd", "monitoring", "gitops"],
      includeClusterResources: true,
      excludedResources: ["events", "events.events.k8s.io"],
      snapshotVolumes: true,
      volumeSnapshotLocations: ["default"],
      defaultVolumesToFsBackup: false,
    });
  });
});

test("every Kubernetes object is valid, on the host's provider; the CRD fixtures refuse a misspelt field", () => {
  for (const r of [...kind.resources, ...eks.resources].filter((r) => r.type.startsWith("kubernetes:core/"))) {
    validateK8s(r);
    expect(r.providers).toEqual(["mgmt-k8s"]);
  }
  expect(ofType(kind.resources, "kubernetes:core/v1:Namespace").map((r) => plain(r.inputs).metadata.name)).toEqual(["velero", "backup-store"]);
  const schedule = plain(named(kind.resources, SCHEDULE, "bk-schedule").inputs);
  expect(crdProblems("velero.io_schedules@1.18.1", { ...schedule, spec: { ...schedule.spec, template: { ...schedule.spec.template, ttlSeconds: 1 } } })).toEqual([
    "/spec/template must NOT have additional properties: ttlSeconds",
  ]);
});

test("a schedule and retention of one's own", async () => {
  const host = fakeCluster("mgmt", { role: "management" });
  const { resources } = await runProgram({ stack: "dev", program: () => new ManagementBackups("b", { host, schedule: "30 1 * * 0", ttl: "2160h" }) });
  const spec = plain(named(resources, SCHEDULE, "b-schedule").inputs).spec;
  expect([spec.schedule, spec.template.ttl]).toEqual(["30 1 * * 0", "2160h"]);
});
