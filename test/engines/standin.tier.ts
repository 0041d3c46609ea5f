import * as command from "@pulumi/command";
import type { Stack } from "@pulumi/pulumi/automation";
import * as random from "@pulumi/random";
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { MeshCa } from "../../components/mesh/ca";
import { engines } from "./support/engines";
import { type EngineWorkspace, engineWorkspace } from "./support/workspace";

// Tier: the real engine applies through the stand-ins. The Pulumi CLI runs `up`, a second `up`
// that must change nothing, and `destroy` of a small inline program that uses every stood-in
// resource the platform uses: Commands that write and remove files, a RandomPassword, and the
// platform's MeshCa (components/mesh/ca.ts) for one cluster.

// Three resources, the MeshCa and its five, and the stack (the summary does not count default providers).
const STEPS = 3 + 1 + 5 + 1;

/** The program: everything it made is in `dir`, or in its outputs. */
function program(dir: string) {
  return async () => {
    const password = new random.RandomPassword("password", { length: 24, special: false });
    const marker = new command.local.Command("marker", {
      create: 'echo made > "$DIR/marker"; echo created',
      delete: 'rm "$DIR/marker"',
      environment: { DIR: dir },
      triggers: ["v1"],
    });
    // A secret in the environment: the provider gets it, the state keeps it secret.
    const secretFile = new command.local.Command("secret-file", {
      create: 'printf %s "$PASSWORD" > "$DIR/password"',
      delete: 'rm "$DIR/password"',
      environment: { DIR: dir, PASSWORD: password.result },
    });
    // The platform's own mesh CA: keys, a self-signed root, a request and a locally signed intermediate.
    const mesh = new MeshCa("mesh", { clusters: ["west"] });
    return { password: password.result, markerStdout: marker.stdout, secretEnv: secretFile.environment, rootPem: mesh.rootCertPem, westPem: mesh.intermediates.west.certPem };
  };
}

describe("the real engine applies through the stand-ins", () => {
  let workspace: EngineWorkspace;
  let stack: Stack;
  let dir: string;
  beforeAll(async () => {
    workspace = await engineWorkspace(engines(["pulumi", "kubernetesProvider"]));
    dir = mkdtempSync(join(tmpdir(), "standin-tier-"));
    stack = await workspace.stack("dev", program(dir));
  }, 900_000);
  afterAll(() => {
    workspace?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("up creates every resource: the scripts ran, the password and certificates are real", async () => {
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.summary.resourceChanges).toEqual({ create: STEPS });
    expect(readFileSync(join(dir, "marker"), "utf8")).toBe("made\n");
    expect(result.outputs.markerStdout.value).toBe("created");
    const password = result.outputs.password;
    expect(password.secret).toBe(true);
    expect(password.value).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(readFileSync(join(dir, "password"), "utf8")).toBe(password.value);
    expect(result.outputs.secretEnv.secret).toBe(true);
    const root = join(dir, "root.pem");
    const west = join(dir, "west.pem");
    writeFileSync(root, result.outputs.rootPem.value);
    writeFileSync(west, result.outputs.westPem.value);
    expect(execFileSync("openssl", ["verify", "-CAfile", root, west]).toString()).toContain(": OK");
    expect(execFileSync("openssl", ["x509", "-noout", "-text", "-in", west]).toString()).toContain("DNS:istiod.istio-system.svc");
  });

  test("a second up changes nothing", async () => {
    await expect(stack.preview({ expectNoChanges: true })).resolves.toBeDefined();
    const second = await stack.up();
    expect(second.summary.resourceChanges).toEqual({ same: STEPS });
  });

  test("destroy runs the delete scripts and leaves the stack empty", async () => {
    const result = await stack.destroy();
    expect(result.summary.resourceChanges).toEqual({ delete: STEPS });
    expect(existsSync(join(dir, "marker"))).toBe(false);
    expect(existsSync(join(dir, "password"))).toBe(false);
    const state = await stack.exportStack();
    expect(state.deployment.resources ?? []).toEqual([]);
  });
});
