import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PACKAGES } from "./standin/packages";
import { bcryptWithSetting } from "./standin/random";
import { OUTPUT_SIG, secret, SECRET_SIG, SIG_KEY, UNKNOWN } from "./standin/wire";

// The stand-ins answer as the real providers do (pulumi-command 1.2.1 on pulumi-go-provider
// v1.3.0; random 4.21.2 and tls 5.6.1 on the Terraform bridge). Expected values are the providers'
// observed and read behaviour (docs/testing.md), not this code's output.
const command = PACKAGES.command.resources["command:local:Command"];

describe("pulumi-command's Check echo", () => {
  test("an unknown secret inside `triggers` comes back as the secret marker without a value (the first-preview fault)", () => {
    expect(command.check({ create: "date", triggers: [secret(UNKNOWN)] }).triggers).toEqual([{ [SIG_KEY]: SECRET_SIG }]);
  });

  test("so does an unknown secret the engine sends as an output value (the provider accepts output values)", () => {
    expect(command.check({ triggers: [{ [SIG_KEY]: OUTPUT_SIG, secret: true, dependencies: ["urn:x"] }] }).triggers).toEqual([{ [SIG_KEY]: SECRET_SIG }]);
  });

  test("known secrets, unknowns and plain values inside `triggers` come back as sent", () => {
    expect(command.check({ triggers: [secret("k"), UNKNOWN, "x", 3] }).triggers).toEqual([secret("k"), UNKNOWN, "x", 3]);
  });

  test("inside an object element, an unknown secret comes back as a secret output value", () => {
    const [element] = command.check({ triggers: [{ a: UNKNOWN, b: secret(UNKNOWN), c: secret("k") }] }).triggers as unknown[];
    expect(element).toEqual({ a: UNKNOWN, b: { [SIG_KEY]: OUTPUT_SIG, secret: true }, c: secret("k") });
  });

  test("typed inputs lose an unknown secret to the type's zero value; a whole unknown `triggers` stays unknown", () => {
    const checked = command.check({ stdin: secret(UNKNOWN), environment: secret(UNKNOWN), triggers: UNKNOWN });
    expect(checked).toEqual({ stdin: secret(""), environment: secret({}), triggers: UNKNOWN });
  });

  test("fills no defaults, and a changed trigger is an update for the provider (the SDK's replaceOnChanges makes it a replace)", () => {
    expect(command.check({ create: "true" })).toEqual({ create: "true" });
    expect(command.replaces(["triggers"], { triggers: ["a"] }, { triggers: ["b"] })).toEqual([]);
    expect(command.replaces(["triggers"], {}, { triggers: ["b"] })).toEqual(["triggers"]);
  });
});

describe("the bridged random and tls providers", () => {
  test("RandomPassword: Check echoes; a preview fills Terraform's defaults and leaves the secrets unknown", () => {
    const password = PACKAGES.random.resources["random:index/randomPassword:RandomPassword"];
    expect(password.check({ length: 24, special: false })).toEqual({ length: 24, special: false });
    expect(password.preview("p", { length: 24, special: false }).outputs).toEqual({
      length: 24, special: false, lower: true, upper: true, numeric: true, number: true,
      minLower: 0, minUpper: 0, minNumeric: 0, minSpecial: 0,
      result: secret(UNKNOWN), bcryptHash: secret(UNKNOWN), id: UNKNOWN,
    });
    expect(password.replaces(["length", "keepers"], {}, {})).toEqual(["length", "keepers"]);
  });

  test("certificates: the private key is marked secret; only earlyRenewalHours changes in place", () => {
    const cert = PACKAGES.tls.resources["tls:index/selfSignedCert:SelfSignedCert"];
    expect(cert.check({ privateKeyPem: "PEM", validityPeriodHours: 1 }).privateKeyPem).toEqual(secret("PEM"));
    expect(cert.replaces(["earlyRenewalHours", "subject"], {}, {})).toEqual(["subject"]);
    expect(cert.preview("c", { validityPeriodHours: 87600, allowedUses: ["cert_signing"] }).outputs).toMatchObject({
      certPem: UNKNOWN, readyForRenewal: false, earlyRenewalHours: 0, maxPathLength: UNKNOWN,
    });
  });
});

// ---- real creates, updates and deletes ----

const step = () => {
  const logged: string[] = [];
  return { logged, context: { name: "seed", log: (line: string) => logged.push(line) } };
};
const scratch = () => mkdtempSync(join(tmpdir(), "standin-"));

describe("pulumi-command's Create, Update and Delete run the scripts", () => {
  test("create: interpreter, dir, environment over the provider's, stdin; one trailing newline cut; inputs echoed with their secrets", async () => {
    const dir = scratch();
    const inputs = {
      create: 'printf "%s|%s|%s|%s|%s\\n\\n" "$0" "$PWD" "$FOO" "$(cat)" "${PULUMI_COMMAND_STDOUT-none}"; echo warn >&2',
      interpreter: ["/bin/bash", "-c"],
      dir,
      environment: { FOO: secret("bar") },
      stdin: "in",
    };
    const { id, outputs } = await command.create(inputs, step().context);
    expect(id).toMatch(/^seed[0-9a-f]{8}$/);
    expect(outputs).toEqual({ ...inputs, stdout: `/bin/bash|${dir}|bar|in|none\n`, stderr: "warn" });
  });

  test("the provider's PATH reaches the script (the fleet's stand-in binaries come first on it)", async () => {
    const bin = scratch();
    writeFileSync(join(bin, "kind"), "#!/bin/sh\necho stand-in kind \"$@\"\n", { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    try {
      expect((await command.create({ create: "kind get clusters" }, step().context)).outputs.stdout).toBe("stand-in kind get clusters");
    } finally {
      process.env.PATH = saved;
    }
  });

  test("update: `update` if set, else `create` again, with the previous outputs in PULUMI_COMMAND_STDOUT/STDERR unless addPreviousOutputInEnv is false", async () => {
    const olds = { create: "echo one", stdout: "one", stderr: "e1" };
    const script = 'echo "$PULUMI_COMMAND_STDOUT/$PULUMI_COMMAND_STDERR/again"';
    expect(await command.update(olds, { create: script }, step().context)).toEqual({ create: script, stdout: "one/e1/again", stderr: "" });
    expect((await command.update(olds, { create: "echo c", update: "echo u" }, step().context)).stdout).toBe("u");
    expect((await command.update(olds, { create: 'echo "${PULUMI_COMMAND_STDOUT-unset}"', addPreviousOutputInEnv: false }, step().context)).stdout).toBe("unset");
    // Neither script: the old outputs stay.
    expect(await command.update(olds, { triggers: ["x"] }, step().context)).toEqual({ triggers: ["x"], stdout: "one", stderr: "e1" });
  });

  test("delete runs `delete` from the state, with its environment and the last stdout; none, nothing runs", async () => {
    const dir = scratch();
    writeFileSync(join(dir, "made"), "");
    await command.delete({ create: "touch made", delete: 'rm "$NAME"; echo "$PULUMI_COMMAND_STDOUT" > gone', dir, environment: { NAME: "made" }, stdout: "was", stderr: "" }, step().context);
    expect(existsSync(join(dir, "made"))).toBe(false);
    expect(readFileSync(join(dir, "gone"), "utf8")).toBe("was\n");
    await expect(command.delete({ create: "true", stdout: "", stderr: "" }, step().context)).resolves.toBeUndefined();
  });

  test("a failing script fails the step with Go's exit error, the script quoted by %q, and both streams", async () => {
    const script = 'echo out; sleep 0.1; echo "err\tx" >&2; exit 3';
    await expect(command.create({ create: script }, step().context)).rejects.toThrow(
      'exit status 3: running "echo out; sleep 0.1; echo \\"err\\tx\\" >&2; exit 3":\nout\nerr\tx\n',
    );
    await expect(command.create({ create: "true", dir: "/nonexistent-dir" }, step().context)).rejects.toThrow(
      'chdir /nonexistent-dir: no such file or directory: running "true":\n',
    );
  });

  test("logging chooses what is logged, never what is returned", async () => {
    const script = "echo o1; sleep 0.1; echo e1 >&2";
    const logged = async (logging?: string) => {
      const s = step();
      const { outputs } = await command.create({ create: script, ...(logging ? { logging } : {}) }, s.context);
      expect([outputs.stdout, outputs.stderr]).toEqual(["o1", "e1"]);
      return s.logged;
    };
    expect(await logged()).toEqual(["o1", "e1"]);
    expect(await logged("stdoutAndStderr")).toEqual(["o1", "e1"]);
    expect(await logged("stdout")).toEqual(["o1"]);
    expect(await logged("stderr")).toEqual(["e1"]);
    expect(await logged("none")).toEqual([]);
  });
});

describe("RandomPassword's Create", () => {
  const password = PACKAGES.random.resources["random:index/randomPassword:RandomPassword"];

  test("honours length, the character sets and the minimums; id `none`; result and bcryptHash secret", async () => {
    const { id, outputs } = await password.create({ length: 40, special: false, minUpper: 10, minNumeric: 10 }, step().context);
    expect(id).toBe("none");
    const result = (outputs.result as { value: string }).value;
    expect(outputs.result).toEqual(secret(result));
    expect(result).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(result.replace(/[^A-Z]/g, "").length).toBeGreaterThanOrEqual(10);
    expect(result.replace(/[^0-9]/g, "").length).toBeGreaterThanOrEqual(10);
    const special = (await password.create({ length: 30, upper: false, lower: false, numeric: false, overrideSpecial: "_%" }, step().context)).outputs;
    expect((special.result as { value: string }).value).toMatch(/^[_%]{30}$/);
    expect(special).toMatchObject({ length: 30, upper: false, lower: false, numeric: false, number: false, special: true, minSpecial: 0, overrideSpecial: "_%" });
  });

  test("bcryptHash is a Go-style $2a$ cost-10 bcrypt that crypt(3) verifies against the result", async () => {
    // OpenBSD's published vector: the hashing itself is bcrypt.
    expect(bcryptWithSetting(Buffer.from("U*U"), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.")).toBe("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
    const { outputs } = await password.create({ length: 24, special: false }, step().context);
    const hash = (outputs.bcryptHash as { value: string }).value;
    expect(outputs.bcryptHash).toEqual(secret(hash));
    expect(hash).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    const verify = (candidate: string) =>
      execFileSync("perl", ["-e", "local $/; my $p = <STDIN>; print crypt($p, $ARGV[0])", hash], { input: candidate }).toString() === hash;
    expect(verify((outputs.result as { value: string }).value)).toBe(true);
    expect(verify("not the password")).toBe(false);
  });
});
