import * as pulumi from "@pulumi/pulumi";
import { caseConfig } from "../support/graph";
import { runProgram } from "../support/harness";

// The compositions declare a cluster per turn (stacks/turns.ts): what one cluster's network and
// cluster registered is answered before the next cluster's are declared, so the SDK never holds
// the whole fleet's pending registrations at once.
test.each([
  ["prod", ["mgmt-network-vpc", "west-network-vpc", "east-network-vpc"]],
  ["dev", ["mgmt-cluster", "west-cluster", "east-cluster"]],
] as const)("the %s composition declares a cluster once the one before it is registered", async (stack, inOrder) => {
  const events: string[] = [];
  await runProgram({
    stack,
    config: caseConfig(stack, "sidecar"),
    program: async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        events.push(`declared ${args.name}`);
        return undefined;
      });
      return (await import("../../stacks")).composeStack();
    },
    outputs: (args) => {
      events.push(`registered ${args.name}`);
      return {};
    },
  });
  for (const [i, name] of inOrder.slice(1).entries()) {
    const previous = events.indexOf(`registered ${inOrder[i]}`);
    expect([inOrder[i], previous]).not.toEqual([inOrder[i], -1]);
    expect(previous).toBeLessThan(events.indexOf(`declared ${name}`));
  }
});
