import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "fs";
import { join } from "path";
import { assertCompatibleFleet, CONTRACT_VERSION, type FleetReference, readFleet } from "@platform/contract";

// The contract's version: kept in its package.json, published as the fleet's `contractVersion`
// output, and checked by every reader.
const packageVersion = JSON.parse(readFileSync(join(__dirname, "../../packages/contract/package.json"), "utf8")).version;

/** A fleet stack's outputs as a StackReference gives them; `kubeconfigs` secret, as the fleet's is. */
const reference = (outputs: Record<string, unknown>): FleetReference => {
  const of = (name: string) => (name === "kubeconfigs" ? pulumi.secret(outputs[name]) : pulumi.output(outputs[name]));
  return { getOutput: of, requireOutput: of };
};
/** An output's value; a rejected output rejects its other promises too, which are awaited here (Pulumi's runtime would fail the run on them). */
const settled = <T>(output: pulumi.Output<T>): Promise<T> => {
  const o = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; allResources?: () => Promise<unknown> };
  for (const other of [o.isKnown, o.isSecret, o.allResources?.()]) other?.catch(() => undefined);
  return o.promise();
};
const FLEET = { clusters: {}, kubeconfigs: { west: "KUBECONFIG west" } };

test("the contract's version is its package.json's, one place for the package and the fleet's output", () => {
  expect(CONTRACT_VERSION).toBe(packageVersion);
  expect(CONTRACT_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
});

test("a fleet of the same major passes; another major is refused with what to do; a fleet older than the version output passes", () => {
  expect(assertCompatibleFleet("1.7.2", "1.0.0")).toBe("1.7.2");
  expect(assertCompatibleFleet("1.0.0", "1.9.0")).toBe("1.0.0");
  expect(assertCompatibleFleet(undefined, "1.0.0")).toBeUndefined();
  expect(() => assertCompatibleFleet("2.0.0", "1.4.0")).toThrow(
    "the fleet's output contract is 2.0.0 and this program's @platform/contract is 1.4.0: another major renames or removes outputs, " +
      "so this program refuses the fleet; use @platform/contract@^2",
  );
  expect(() => assertCompatibleFleet("0.9.0", "1.0.0")).toThrow("use @platform/contract@^0");
  expect(() => assertCompatibleFleet("two", "1.0.0")).toThrow('not a contract version: "two"');
});

test("the reader checks the fleet's version before any output, keeps secrets secret, and reads an unversioned fleet", async () => {
  const fleet = readFleet(reference({ ...FLEET, contractVersion: CONTRACT_VERSION }));
  expect(await settled(fleet.contractVersion)).toBe(CONTRACT_VERSION);
  expect(await settled(fleet.kubeconfigs)).toEqual(FLEET.kubeconfigs);
  expect(await fleet.kubeconfigs.isSecret).toBe(true);
  expect(await fleet.clusters.isSecret).toBe(false);

  const unversioned = readFleet(reference(FLEET));
  expect(await settled(unversioned.clusters)).toEqual({});

  const next = `${Number(CONTRACT_VERSION.split(".")[0]) + 1}.0.0`;
  const newer = readFleet(reference({ ...FLEET, contractVersion: next }));
  await expect(settled(newer.clusters)).rejects.toThrow(`the fleet's output contract is ${next}`);
  await expect(settled(newer.kubeconfigs)).rejects.toThrow("this program refuses the fleet");
});
