import type { EngineEvent } from "@pulumi/pulumi/automation";
import { recordGraph } from "../support/graph";
import { stackConfig } from "../support/harness";
import { engines } from "./support/engines";
import { type EngineWorkspace, engineWorkspace } from "./support/workspace";
import { runIndex } from "./support/program";

// Tier: the real engine. The Pulumi CLI built from its Go module runs `pulumi preview` of the dev
// stack through the Automation API, with the project's own index.ts as the inline program, the
// real kubernetes provider, and stand-ins for the command, random and tls providers (no registry
// serves them; test/engines/standin). prod needs the aws and eks providers, which no registry
// serves either: it is not previewed here (docs/testing.md).

interface Plan {
  /** `op urn` of every resource step, sorted. */
  steps: string[];
  /** The inputs each step would send, by URN: what a value rendered per run would change. */
  inputs: Map<string, string>;
  errors: string[];
}

/** One preview of `stack` with index.ts as its inline program. */
async function preview(workspace: EngineWorkspace, stackName: string): Promise<Plan> {
  const stack = await workspace.stack(stackName, runIndex);
  const steps: string[] = [];
  const inputs = new Map<string, string>();
  const errors: string[] = [];
  const onEvent = (event: EngineEvent) => {
    const step = event.resourcePreEvent?.metadata;
    if (step) {
      steps.push(`${step.op} ${step.urn}`);
      inputs.set(step.urn, JSON.stringify(step.new?.inputs ?? {}));
    }
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error") errors.push(`${diagnostic.urn ?? ""} ${diagnostic.message}`.trim());
  };
  try {
    await stack.preview({ onEvent });
  } catch (error) {
    errors.push(String((error as Error).message).split("\n").slice(-20).join("\n"));
  }
  return { steps: steps.sort(), inputs, errors };
}

describe("the real engine previews the dev stack", () => {
  let workspace: EngineWorkspace;
  let first: Plan;
  beforeAll(async () => {
    workspace = await engineWorkspace(engines(["pulumi", "kubernetesProvider"]));
    first = await preview(workspace, "dev");
  }, 900_000);
  afterAll(() => workspace?.dispose());

  test("the first preview has no error", () => {
    expect(first.errors).toEqual([]);
    expect(first.steps.length).toBeGreaterThan(200);
  });

  test("it plans exactly the URNs the offline evaluation produces", async () => {
    const offline = (await recordGraph("dev", stackConfig("dev"))).map((n) => n.urn);
    // The engine adds the stack and a default provider per package the program leaves unnamed.
    const engineMade = (urn: string) => urn.endsWith("::pulumi:pulumi:Stack::platform-dev") || /::pulumi:providers:[a-z]+::default_[0-9_]+$/.test(urn);
    const planned = first.steps.map((s) => s.slice(s.indexOf(" ") + 1));
    expect(planned.filter((u) => !engineMade(u)).sort()).toEqual([...new Set(offline)].sort());
    console.log(`dev: ${first.steps.length} steps (${first.steps.filter((s) => s.startsWith("read ")).length} reads), ${offline.length} URNs offline`);
  });

  test("a second preview gives the same plan, input by input", async () => {
    const second = await preview(workspace, "dev");
    expect(second.errors).toEqual([]);
    expect(second.steps).toEqual(first.steps);
    const changed = [...first.inputs].filter(([urn, inputs]) => second.inputs.get(urn) !== inputs).map(([urn]) => urn);
    expect(changed).toEqual([]);
  });
});
