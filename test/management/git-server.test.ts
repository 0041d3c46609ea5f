import { createHash } from "crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { folderDigest, GitServer } from "../../components/management/git-server";
import { fakeCluster, named, ofType, plain, type Recorded, runProgram, secretValue } from "../support/harness";
import { validateK8s } from "../support/k8s-schema";

// The fleet's own git server: what Argo CD reads when no hosted repository is configured.
let resources: Recorded[];
let repoURL: string;
beforeAll(async () => {
  resources = (
    await runProgram({
      stack: "dev",
      program: () => {
        const host = fakeCluster("mgmt", { role: "management" });
        repoURL = new GitServer("platform-git", { host, seed: "gitops", readerNamespace: "argocd", branch: "main" }).repoURL;
      },
    })
  ).resources;
});

const inputs = (type: string, name: string) => plain(named(resources, type, name).inputs);

test("soft-serve, pinned, anonymous on a volume, probed on its health paths, every object valid", () => {
  const deployment = inputs("kubernetes:apps/v1:Deployment", "platform-git-server");
  const [container] = deployment.spec.template.spec.containers;
  // soft-serve's release images are tagged with the version's `v` (its goreleaser config).
  expect(container.image).toMatch(/^charmcli\/soft-serve:v\d+\.\d+\.\d+$/);
  expect(container.env).toEqual([
    { name: "SOFT_SERVE_ANON_ACCESS", value: "read-write" },
    { name: "SOFT_SERVE_ALLOW_KEYLESS", value: "true" },
    { name: "SOFT_SERVE_HTTP_PUBLIC_URL", value: "http://git.gitops.svc.cluster.local:23232" },
  ]);
  expect([container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path]).toEqual(["/readyz", "/livez"]);
  expect(container.volumeMounts).toEqual([{ name: "data", mountPath: "/soft-serve" }]);
  expect(deployment.spec.strategy).toEqual({ type: "Recreate" });
  expect(inputs("kubernetes:core/v1:PersistentVolumeClaim", "platform-git-data").metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
  for (const r of resources.filter((r) => r.type.startsWith("kubernetes:"))) {
    validateK8s(r);
    expect(r.providers).toEqual(["mgmt-k8s"]);
  }
});

test("Argo CD's clone URL names the server's own Service, and only Argo CD's namespace may reach it", () => {
  const service = inputs("kubernetes:core/v1:Service", "platform-git-service");
  const url = new URL(repoURL);
  expect(url.protocol).toBe("http:");
  expect(url.hostname).toBe(`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`);
  expect(Number(url.port)).toBe(service.spec.ports[0].port);
  expect(url.pathname).toBe("/platform.git");
  const policy = inputs("kubernetes:networking.k8s.io/v1:NetworkPolicy", "platform-git-readers");
  expect(policy.spec.podSelector.matchLabels).toEqual(service.spec.selector);
  // The kubelet's probes come from the node, which kind's and EKS's policy agents always admit.
  expect(policy.spec.ingress).toEqual([
    { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "argocd" } } }], ports: [{ protocol: "TCP", port: 23232 }] },
  ]);
});

/** Every file under `dir` with its content, walked by Node itself: independent of the component's walk. */
function expectedDigest(dir: string): string {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update("\0").update(readFileSync(join(dir, file))).update("\0");
  return hash.digest("hex");
}

test("the seed pushes gitops/ with the management cluster's kubeconfig (secret), again when the folder or the volume changes", () => {
  const seed = named(resources, "command:local:Command", "platform-git-seed");
  expect(seed.inputs.create).toBe("bash scripts/gitops-push.sh");
  // The kubeconfig makes the whole environment secret.
  expect(plain(secretValue(seed.inputs.environment))).toEqual({ GITOPS_DIR: "gitops", GITOPS_BRANCH: "main", GITOPS_KUBECONFIG: "{}" });
  expect(seed.inputs.addPreviousOutputInEnv).toBe(false);
  expect(seed.inputs.triggers[0]).toBe(expectedDigest("gitops"));
  expect(seed.inputs.triggers).toHaveLength(2);
  expect(seed.dependsOn).toEqual(["platform-git-server", "platform-git-service"]);
  expect(ofType(resources, "command:local:Command")).toHaveLength(1);
});

test("the folder digest follows every change of a file's path or content", () => {
  const dir = mkdtempSync(join(tmpdir(), "digest-"));
  cpSync("gitops", dir, { recursive: true });
  const before = folderDigest(dir);
  expect(before).toBe(expectedDigest(dir));
  writeFileSync(join(dir, "apps/guestbook/overlays/west/kustomization.yaml"), "changed\n");
  expect(folderDigest(dir)).not.toBe(before);
  expect(folderDigest(dir)).toBe(expectedDigest(dir));
});
