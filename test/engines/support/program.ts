/** The SDKs the program imports: one instance each, shared with the Automation API's own. */
const SDKS = ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/command", "@pulumi/random", "@pulumi/tls", "@pulumi/aws", "@pulumi/eks"];

/**
 * index.ts evaluated afresh, as a new process would: the project's modules in a registry of their
 * own, the SDKs shared (a second copy of the SDK's protocol classes could not talk to the engine).
 * The inline program of the tiers that run the real engine.
 */
export async function runIndex(): Promise<Record<string, unknown>> {
  const shared = Object.fromEntries(SDKS.map((name) => [name, jest.requireActual(name)]));
  let outputs: Record<string, unknown> = {};
  await jest.isolateModulesAsync(async () => {
    for (const name of SDKS) jest.doMock(name, () => shared[name]);
    outputs = { ...(await import("../../../index")) };
  });
  return outputs;
}
