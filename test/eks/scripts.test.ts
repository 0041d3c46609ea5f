import * as pulumi from "@pulumi/pulumi";
import { loadBalancerDrain } from "../../components/eks/drain";
import { controlPlaneLogs } from "../../components/eks/logs";
import { answering } from "../../components/eks/readiness";
import { named, runProgram } from "../support/harness";
import { hostStubs } from "../support/host-stubs";

// The EKS destroy gate and readiness wait, run against stub aws and curl binaries.
let drain: { script: string; env: Record<string, string> };
let ready: { script: string; env: Record<string, string> };

beforeAll(async () => {
  const { resources } = await runProgram({
    stack: "prod",
    program: () => {
      const parent = new pulumi.ComponentResource("test:index:Parent", "p");
      const creator = loadBalancerDrain("gate", { clusterName: "prod-west", vpcId: "vpc-1", region: "us-west-2", profile: "ops" }, { parent });
      answering(pulumi.output({ host: "nlb.example.com", port: 5443 }), "/readyz", { name: "api", creator, id: "ns/api", parent });
    },
  });
  const command = (name: string) => {
    const inputs = named(resources, "command:local:Command", name).inputs;
    return { script: (inputs.delete ?? inputs.create) as string, env: inputs.environment as Record<string, string> };
  };
  drain = command("gate");
  ready = command("api-ready");
});

describe("the load-balancer drain on destroy", () => {
  test("waits until the VPC holds no load balancer, asking with the providers' profile", () => {
    const host = hostStubs({ tools: ["aws"] });
    host.set("lbs", "k8s-a k8s-b\nk8s-b\n");
    const result = host.run(drain.script, { ...drain.env, POLL_SECONDS: "0" });
    expect(result.status).toBe(0);
    const calls = host.calls();
    expect(calls).toHaveLength(3);
    expect(calls[0]).toContain("elbv2 describe-load-balancers --region us-west-2 --profile ops");
    expect(calls[0]).toContain("LoadBalancers[?VpcId=='vpc-1'].LoadBalancerName");
  });

  test("gives up after its bound, naming what is left", () => {
    const host = hostStubs({ tools: ["aws"] });
    host.set("lbs", "k8s-stuck\n".repeat(50));
    const result = host.run(drain.script, { ...drain.env, POLL_SECONDS: "0", DRAIN_TIMEOUT: "0" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("load balancers k8s-stuck are still in VPC vpc-1 of cluster prod-west after 0 s");
  });

  test("without the AWS CLI it says so before anything", () => {
    const result = hostStubs({ tools: [] }).run(drain.script, drain.env);
    expect(result.status).toBe(127);
    expect(result.stderr).toContain("'aws' was not found on PATH");
  });
});

describe("the wait for a new NLB to answer", () => {
  test("retries through DNS failures and 503s until the API answers (401 counts: credentials come later)", () => {
    const host = hostStubs({ tools: ["curl"] });
    host.set("codes", "000\n000\n503\n401\n");
    const result = host.run(ready.script, { ...ready.env, POLL_SECONDS: "0" });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("401");
    expect(host.calls()).toHaveLength(4);
    expect(host.calls()[0]).toContain("https://nlb.example.com:5443/readyz");
  });

  test("fails with a clear message after its bound", () => {
    const host = hostStubs({ tools: ["curl"] });
    const result = host.run(ready.script, { ...ready.env, POLL_SECONDS: "0", READY_TIMEOUT: "0" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("https://nlb.example.com:5443/readyz did not answer within 0 s (last: 000)");
  });
});

describe("the control-plane log group", () => {
  let logs: { script: string; env: Record<string, string> };
  beforeAll(async () => {
    const { resources } = await runProgram({
      stack: "prod",
      program: () => controlPlaneLogs("logs", { clusterName: "prod-west", region: "us-west-2", retentionDays: 30, profile: "ops" }, {}),
    });
    const inputs = named(resources, "command:local:Command", "logs").inputs;
    logs = { script: inputs.create, env: inputs.environment };
  });

  test.each([false, true])("is made if missing (there already: %s) and given its retention", (exists) => {
    const host = hostStubs({ tools: ["aws"] });
    if (exists) host.set("log-group-exists", "");
    const result = host.run(logs.script, logs.env);
    expect(result.status).toBe(0);
    expect(host.calls()).toEqual([
      "aws logs create-log-group --region us-west-2 --profile ops --log-group-name /aws/eks/prod-west/cluster",
      "aws logs put-retention-policy --region us-west-2 --profile ops --log-group-name /aws/eks/prod-west/cluster --retention-in-days 30",
    ]);
  });
});
