import { type Recorded, runProgram, stackConfig } from "../support/harness";

/** Workload clusters of the dev stack with a third one appended to Pulumi.dev.yaml. */
export const WORKLOADS = ["west", "east", "north"];

/**
 * The dev stack with a third workload cluster appended, and an alert receiver set as a secret:
 * registrations must follow with no code change.
 */
export async function devWithThirdWorkload(): Promise<{ resources: Recorded[]; program: typeof import("../../index") }> {
  const config = stackConfig("dev");
  (config["platform:clusters"] as unknown[]).push({ name: "north", role: "workload", provider: "kind", labels: { zone: "north" } });
  config["platform:alertReceivers"] = [{ name: "oncall", webhookUrl: "https://hooks.example.com/T0KEN" }];
  const run = await runProgram({ stack: "dev", config, program: () => import("../../index") });
  return { resources: run.resources, program: run.result };
}
