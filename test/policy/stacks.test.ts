import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { resourcePolicies, stackPolicies } from "../../policy/policies";
import { caseConfig, STACK_CASES } from "../support/graph";
import { plain, runProgram, valueOf } from "../support/harness";

// The real stacks against their own policy pack: what `pulumi preview --policy-pack ./policy`
// would report, with no CLI. Every policy must pass on what the program declares. (The children
// that plugins such as pulumi-eks register are not seen under mocks: the EKS control-plane
// policies are tested on their own, in policies.test.ts.)
describe.each(STACK_CASES)("%s stack, %s mesh", (stack, mode) => {
  test("passes every policy of the pack", async () => {
    const program = async () => (await import("../../stacks")).composeStack();
    const run = await runProgram({ stack, config: caseConfig(stack, mode), program });
    const outputs = Object.fromEntries(
      await Promise.all(Object.entries(run.result).map(async ([k, v]) => [k, await valueOf(v as pulumi.Output<unknown>)])),
    );
    // A remote component read back by reference is recorded again under mocks: the engine has it once.
    const registered = run.resources.filter((r, i, all) => all.findIndex((o) => o.type === r.type && o.name === r.name) === i);
    const resources = [
      ...registered.filter((r) => r.type !== "pulumi:pulumi:Stack"),
      { type: "pulumi:pulumi:Stack", name: `platform-${stack}`, inputs: outputs, providers: [], protect: false, additionalSecretOutputs: [], dependsOn: [] },
    ].map((r) => {
      const provider = "provider" in r && typeof r.provider === "string" ? r.provider.split("::").slice(0, -1).join("::") : undefined;
      return {
        type: r.type,
        name: r.name,
        props: plain(r.inputs),
        urn: `urn:pulumi:${stack}::platform::${r.type}::${r.name}`,
        opts: { protect: r.protect, additionalSecretOutputs: r.additionalSecretOutputs },
        provider: provider ? { type: "pulumi:providers:kubernetes", name: provider, urn: provider, props: {} } : undefined,
        getConfig: () => ({}),
        stackTags: new Map(),
      } as unknown as PolicyResource & ResourceValidationArgs;
    });
    const violations: string[] = [];
    for (const policy of resourcePolicies) {
      const validate = policy.validateResource as (a: ResourceValidationArgs, report: (m: string) => void) => void | Promise<void>;
      for (const r of resources) await validate(r, (m) => violations.push(`${policy.name}: ${m}`));
    }
    for (const policy of stackPolicies) {
      await policy.validateStack({ resources, getConfig: () => ({}), stackTags: new Map() } as never, (m) => violations.push(`${policy.name}: ${m}`));
    }
    expect(violations).toEqual([]);
    // The pack saw what matters: clusters, charts, Kubernetes objects.
    expect(resources.filter((r) => r.type.startsWith("kubernetes:")).length).toBeGreaterThan(30);
  });
});
