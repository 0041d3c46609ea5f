import { runProgram, stackConfig } from "../support/harness";

/** Evaluates the real program with a stack file's config changed by `edit`; returns what happened. */
async function evaluate(stack: string, edit: (config: Record<string, any>) => void) {
  const config = structuredClone(stackConfig(stack));
  edit(config);
  let error: Error | undefined;
  const run = await runProgram({
    stack,
    config,
    program: async () => {
      const { composeStack } = await import("../../stacks");
      try {
        await composeStack();
      } catch (e) {
        error = e as Error;
      }
    },
  });
  return { error, registered: run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack") };
}

test.each(["dev", "prod"])("an overlapping plan in Pulumi.%s.yaml fails before any resource is registered", async (stack) => {
  const { error, registered } = await evaluate(stack, (config) => {
    const clusters = config["platform:clusters"];
    clusters[2].serviceCidr = "10.96.0.0/16";
    clusters[1].serviceCidr = "10.96.0.0/17";
  });
  expect(registered).toEqual([]);
  expect(error?.message).toContain("clusters[2].serviceCidr 10.96.0.0/16 (east) overlaps clusters[1].serviceCidr 10.96.0.0/17 (west)");
});

test.each(["dev", "prod"])("a malformed range in Pulumi.%s.yaml fails before any resource is registered", async (stack) => {
  const { error, registered } = await evaluate(stack, (config) => {
    config["platform:clusters"][0].serviceCidr = "10.96.0/20";
  });
  expect(registered).toEqual([]);
  expect(error?.message).toContain("clusters[0].serviceCidr 10.96.0/20 (mgmt) is not an IPv4 CIDR");
});

test("an unknown composition is refused with the key to set", async () => {
  const { error, registered } = await evaluate("dev", (config) => {
    config["platform:composition"] = "staging";
  });
  expect(registered).toEqual([]);
  expect(error?.message).toContain('platform:composition "staging" is not one of');
});

test("the dev composition refuses EKS clusters", async () => {
  const { error, registered } = await evaluate("dev", (config) => {
    config["platform:clusters"][1] = { name: "west", role: "workload", provider: "eks", region: "us-west-2" };
    config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"] };
    // The example teams have no IAM role: the plan would refuse them first.
    delete config["platform:teams"];
  });
  expect(registered).toEqual([]);
  expect(error?.message).toContain("clusters[1].provider is eks, but the dev composition runs kind clusters only");
});

test("the prod composition refuses kind clusters", async () => {
  const { error, registered } = await evaluate("prod", (config) => {
    config["platform:clusters"][2] = { name: "east", role: "workload", provider: "kind" };
    config["platform:eks"] = { publicAccessCidrs: ["203.0.113.0/24"] };
  });
  expect(registered).toEqual([]);
  expect(error?.message).toContain("clusters[2].provider is kind, but the prod composition runs EKS clusters only");
});

test.each([
  ["dev", "podCIDR", "podCidr"],
  ["prod", "vpcCIDR", "vpcCidr"],
])("an unknown platform key in Pulumi.%s.yaml is refused with the key meant", async (stack, typo, meant) => {
  const { error, registered } = await evaluate(stack, (config) => {
    config["platform:meshh"] = { mode: "ambient" };
    config["platform:clusters"][1][typo] = "10.1.0.0/16";
  });
  expect(registered).toEqual([]);
  expect(error?.message).toContain("meshh: unknown key; did you mean mesh?");
  expect(error?.message).toContain(`clusters[1].${typo} (west): unknown key; did you mean ${meant}?`);
});
