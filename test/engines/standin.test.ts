import { PACKAGES } from "./standin/packages";
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
