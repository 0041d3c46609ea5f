import { readFileSync } from "fs";
import { join } from "path";
import { hostStubs } from "./host-stubs";

// scripts/dev-up.sh, the README's deploy command, run against stub pulumi/docker/kind binaries.
const script = readFileSync(join(__dirname, "..", "scripts", "dev-up.sh"), "utf8").replace(
  'cd "$(dirname "$0")/.."',
  `cd ${JSON.stringify(join(__dirname, ".."))}`,
);
const pulumiCalls = (calls: string[]) => calls.filter((c) => c.startsWith("pulumi "));

test("selects or creates the dev stack on the local file backend, then runs up with the extra arguments", () => {
  const host = hostStubs({ tools: ["kind", "docker", "pulumi"] });
  const result = host.run(script, {}, ["--yes"]);
  expect(result.status).toBe(0);
  const backend = `file://${join(__dirname, "..")}/.pulumi-state`;
  expect(pulumiCalls(host.calls())).toEqual([
    `pulumi stack select --create --secrets-provider passphrase dev [backend=${backend} passphrase=]`,
    `pulumi up --stack dev --yes [backend=${backend} passphrase=]`,
  ]);
  expect(result.stderr).toContain("PULUMI_CONFIG_PASSPHRASE is not set; using an empty passphrase");
});

test("destroy, with a passphrase and backend of the user's own", () => {
  const host = hostStubs({ tools: ["kind", "docker", "pulumi"] });
  const result = host.run(script, { PULUMI_CONFIG_PASSPHRASE: "s3cret", PULUMI_BACKEND_URL: "file:///tmp/elsewhere" }, ["destroy", "--yes"]);
  expect(result.status).toBe(0);
  expect(pulumiCalls(host.calls()).at(-1)).toBe("pulumi destroy --stack dev --yes [backend=file:///tmp/elsewhere passphrase=s3cret]");
});

test("a missing prerequisite is named before anything runs", () => {
  const host = hostStubs({ tools: ["docker", "pulumi"] });
  const result = host.run(script, {});
  expect(result.status).toBe(127);
  expect(result.stderr).toContain("'kind' is not installed");
  expect(pulumiCalls(host.calls())).toEqual([]);
});
