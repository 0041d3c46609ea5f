import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { KIND_VERSION } from "../../components/versions";
import { hostStubs } from "../support/host-stubs";

// scripts/dev-up.sh, the README's deploy command, run against stub pulumi/docker/kind binaries in
// a scratch checkout (the pinned versions and an installed node_modules, nothing else).
const root = join(__dirname, "..", "..");
const project = mkdtempSync(join(tmpdir(), "platform-dev-up-"));
mkdirSync(join(project, "components"));
mkdirSync(join(project, "node_modules"));
copyFileSync(join(root, "components", "versions.ts"), join(project, "components", "versions.ts"));
const script = readFileSync(join(root, "scripts", "dev-up.sh"), "utf8").replace('cd "$(dirname "$0")/.."', `cd ${JSON.stringify(project)}`);
const pulumiCalls = (calls: string[]) => calls.filter((c) => c.startsWith("pulumi "));

function host(kindVersion = KIND_VERSION) {
  const stubs = hostStubs({ tools: ["kind", "docker", "pulumi"] });
  stubs.set("kind-version", kindVersion);
  return stubs;
}

test("selects or creates the dev stack on the local file backend, then runs up with the extra arguments", () => {
  const stubs = host();
  const result = stubs.run(script, {}, ["--yes"]);
  expect(result.status).toBe(0);
  const backend = `file://${project}/.pulumi-state`;
  expect(pulumiCalls(stubs.calls())).toEqual([
    `pulumi stack select --create --secrets-provider passphrase dev [backend=${backend} passphrase=]`,
    `pulumi up --stack dev --yes [backend=${backend} passphrase=]`,
  ]);
  expect(result.stderr).toContain("PULUMI_CONFIG_PASSPHRASE is not set; using an empty passphrase");
});

test("destroy refreshes first, dropping what a hand-deleted cluster held, with the user's passphrase and backend", () => {
  const stubs = host();
  const env = { PULUMI_CONFIG_PASSPHRASE: "s3cret", PULUMI_BACKEND_URL: "file:///tmp/elsewhere" };
  const result = stubs.run(script, env, ["destroy", "--yes"]);
  expect(result.status).toBe(0);
  expect(pulumiCalls(stubs.calls()).slice(1)).toEqual([
    "pulumi refresh --stack dev --yes [backend=file:///tmp/elsewhere passphrase=s3cret delete-unreachable]",
    "pulumi destroy --stack dev --yes [backend=file:///tmp/elsewhere passphrase=s3cret delete-unreachable]",
  ]);
});

test("up never deletes unreachable objects: a stopped Docker must not empty the state", () => {
  const stubs = host();
  expect(stubs.run(script, {}, ["up"]).status).toBe(0);
  expect(pulumiCalls(stubs.calls()).some((c) => c.includes("delete-unreachable"))).toBe(false);
});

test("a kind other than the one the node image is pinned for is refused, unless the user insists", () => {
  const stubs = host("v0.27.0");
  const refused = stubs.run(script, {});
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain(`kind v0.27.0 is installed, but the pinned node image is for kind ${KIND_VERSION}`);
  expect(pulumiCalls(stubs.calls())).toEqual([]);
  expect(stubs.run(script, { PLATFORM_SKIP_KIND_VERSION_CHECK: "1" }).status).toBe(0);
  // Tearing down works with any kind.
  expect(host("v0.27.0").run(script, {}, ["destroy"]).status).toBe(0);
});

test("a missing prerequisite is named before anything runs", () => {
  const stubs = hostStubs({ tools: ["docker", "pulumi"] });
  const result = stubs.run(script, {});
  expect(result.status).toBe(127);
  expect(result.stderr).toContain("'kind' is not installed");
  expect(pulumiCalls(stubs.calls())).toEqual([]);
});

test("PLATFORM_STACK runs another stack of the dev composition, e.g. a second fleet on the host", () => {
  const stubs = host();
  expect(stubs.run(script, { PLATFORM_STACK: "dev2" }, ["destroy", "--yes"]).status).toBe(0);
  expect(pulumiCalls(stubs.calls()).map((c) => c.replace(/ \[.*\]$/, ""))).toEqual([
    "pulumi stack select --create --secrets-provider passphrase dev2",
    "pulumi refresh --stack dev2 --yes",
    "pulumi destroy --stack dev2 --yes",
  ]);
});
