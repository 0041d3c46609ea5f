import { spawnSync } from "child_process";
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

// scripts/gitops-push.sh (`npm run gitops:push`, and the seed of the fleet's git server), run with
// the real git against a bare repository, and against a stub kubectl for the port-forward.
const root = join(__dirname, "..", "..");
const script = join(root, "scripts", "gitops-push.sh");
const scratch = () => mkdtempSync(join(tmpdir(), "gitops-push-"));

function push(env: Record<string, string>) {
  return spawnSync("bash", [script], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 30_000 });
}
const git = (dir: string, ...args: string[]) => spawnSync("git", ["-C", dir, ...args], { encoding: "utf8" }).stdout.trim();

test("publishes gitops/ as a commit on main, once per change, removed files included", () => {
  const dir = scratch();
  const remote = join(dir, "remote.git");
  spawnSync("git", ["init", "--quiet", "--bare", remote]);
  const source = join(dir, "gitops");
  cpSync(join(root, "gitops"), source, { recursive: true });
  const env = { GITOPS_REMOTE: `file://${remote}`, GITOPS_DIR: source };

  const first = push(env);
  expect(first.stderr).toBe("");
  expect(first.status).toBe(0);
  expect(git(remote, "rev-list", "--count", "main")).toBe("1");
  expect(git(remote, "show", "main:gitops/apps/guestbook/overlays/west/kustomization.yaml")).toBe(
    readFileSync(join(root, "gitops/apps/guestbook/overlays/west/kustomization.yaml"), "utf8").trim(),
  );

  const again = push(env);
  expect([again.status, again.stdout.trim()]).toEqual([0, "gitops-push: main already holds this gitops/ folder"]);
  expect(git(remote, "rev-list", "--count", "main")).toBe("1");

  writeFileSync(join(source, "apps/guestbook/overlays/east/kustomization.yaml"), "# changed\n");
  rmSync(join(source, "README.md"));
  expect(push(env).status).toBe(0);
  expect(git(remote, "rev-list", "--count", "main")).toBe("2");
  expect(git(remote, "show", "main:gitops/apps/guestbook/overlays/east/kustomization.yaml")).toBe("# changed");
  expect(git(remote, "ls-tree", "--name-only", "main", "gitops/")).toBe("gitops/apps");
});

/** A kubectl that records its arguments and the kubeconfig it was given, then prints `output` and waits. */
function stubKubectl(dir: string, output: string): string {
  const bin = join(dir, "bin");
  spawnSync("mkdir", ["-p", bin]);
  writeFileSync(
    join(bin, "kubectl"),
    `#!/usr/bin/env bash\necho "$*" >> ${dir}/calls\ncat "$2" > ${dir}/kubeconfig-seen\n${output ? `echo "${output}"\n` : ""}sleep 30\n`,
  );
  chmodSync(join(bin, "kubectl"), 0o755);
  return `${bin}:${process.env.PATH}`;
}

test("without a remote it port-forwards to the management cluster's git Service with the given kubeconfig", () => {
  const dir = scratch();
  const PATH = stubKubectl(dir, "Forwarding from 127.0.0.1:9 -> 23232");
  const result = push({ PATH, GITOPS_KUBECONFIG: "apiVersion: v1\nkind: Config\n" });
  // Nothing serves port 9: the push fails, after the forward was opened as asked.
  expect(result.status).not.toBe(0);
  const [call] = readFileSync(join(dir, "calls"), "utf8").trim().split("\n");
  expect(call).toMatch(/^--kubeconfig \S+\/kubeconfig -n gitops port-forward svc\/git :23232$/);
  expect(readFileSync(join(dir, "kubeconfig-seen"), "utf8")).toBe("apiVersion: v1\nkind: Config\n");
});

test("a port-forward that never opens stops the push within its bound, with the reason", () => {
  const dir = scratch();
  const result = push({ PATH: stubKubectl(dir, ""), GITOPS_KUBECONFIG: "{}", GITOPS_FORWARD_SECONDS: "2" });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("gitops-push: kubectl port-forward to gitops/git did not open within 2s");
});
