import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { declareReadOutputsOnly } from "../../stacks/unread-outputs";
import { valueOf } from "../support/harness";

interface Run {
  /** Every register request the monitor received, as plain objects. */
  requests: Record<string, unknown>[];
  declared: Declared;
}

interface Declared {
  subnet: aws.ec2.Subnet;
  /** The subnet again, rebuilt from its URN as the SDK rebuilds a reference in another resource's outputs. */
  reference?: aws.ec2.Subnet;
  eip: aws.ec2.Eip;
  release: k8s.helm.v3.Release;
  read: k8s.core.v1.Service;
}

/** Declares one resource of several providers, each with inputs, secrets and explicit options. */
function declare(): Declared {
  const aws1 = new aws.Provider("aws-west", { region: "us-west-2" });
  const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16", tags: { fleet: "f" } }, { provider: aws1 });
  const subnet = new aws.ec2.Subnet("subnet", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24" }, { provider: aws1, protect: true });
  const eip = new aws.ec2.Eip("eip", { domain: "vpc" }, { provider: aws1, dependsOn: [subnet] });
  const kube = new k8s.Provider("kube", { kubeconfig: pulumi.secret("{}"), enableServerSideApply: true });
  const password = new random.RandomPassword("password", { length: 24, special: false });
  const secret = new k8s.core.v1.Secret("secret", { metadata: { name: "s" }, stringData: { password: password.result } }, { provider: kube });
  const release = new k8s.helm.v3.Release(
    "release",
    { chart: "c", version: "1.0.0", values: { host: eip.publicIp }, namespace: "n" },
    { provider: kube, dependsOn: [secret], ignoreChanges: ["checksum"] },
  );
  new command.local.Command("cmd", { create: "true", environment: { A: subnet.cidrBlock } }, { dependsOn: [release] });
  const read = k8s.core.v1.Service.get("read", "n/s", { provider: kube });
  return { subnet, eip, release, read };
}

async function run(readOnly: boolean): Promise<Run> {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, publicIp: "192.0.2.1", arn: "arn:x", status: {} } }),
      call: () => ({}),
    },
    "platform",
    "test",
    false,
  );
  type Method = (req: { toObject(): object }, cb: unknown) => unknown;
  const monitor = (pulumi.runtime as unknown as { getMonitor(): Record<"registerResource" | "readResource", Method> }).getMonitor();
  const requests: Record<string, unknown>[] = [];
  for (const method of ["registerResource", "readResource"] as const) {
    const send = monitor[method].bind(monitor);
    monitor[method] = (req, callback) => {
      // Where the resource was declared differs between the two runs' callers, by design.
      const { stacktrace, ...request } = req.toObject() as Record<string, unknown>;
      expect(stacktrace).toBeDefined();
      requests.push({ method, ...request });
      return send(req, callback);
    };
  }
  let declared!: Declared;
  await pulumi.runtime.runInPulumiStack(async () => {
    if (readOnly) declareReadOutputsOnly();
    declared = declare();
    const urn = await valueOf(declared.subnet.urn);
    declared.reference = new aws.ec2.Subnet("subnet", undefined as unknown as aws.ec2.SubnetArgs, { urn });
    return {};
  });
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const key = (r: Record<string, unknown>) => `${r.type}::${r.name}`;
  return { requests: requests.sort((a, b) => key(a).localeCompare(key(b))), declared };
}

test("the engine receives the same register requests with the unread outputs dropped", async () => {
  const all = await run(false);
  const readOnly = await run(true);
  // Not vacuous: without the drop, the resources carry outputs the program never reads.
  expect(Object.keys(all.declared.subnet)).toContain("arn");
  expect(Object.keys(readOnly.declared.subnet)).not.toContain("arn");
  expect(Object.keys(all.declared.release)).toContain("status");
  expect(Object.keys(readOnly.declared.release)).not.toContain("status");
  expect(Object.keys(all.declared.read)).toContain("spec");
  expect(Object.keys(readOnly.declared.read)).not.toContain("spec");
  // A resource rebuilt from a reference in another's outputs carries what the program reads, too.
  expect(Object.keys(all.declared.reference!)).toContain("arn");
  expect(Object.keys(readOnly.declared.reference!)).not.toContain("arn");
  expect(readOnly.requests.filter((r) => r.method === "readResource")).toHaveLength(1);
  expect(readOnly.requests.length).toBeGreaterThan(8);
  expect(readOnly.requests).toEqual(all.requests);
});

test("outputs the program reads, computed or given, still resolve; an unread one fails by name", async () => {
  const { declared } = await run(true);
  expect(await valueOf(declared.eip.publicIp)).toBe("192.0.2.1");
  expect(await valueOf(declared.subnet.cidrBlock)).toBe("10.0.1.0/24");
  expect(await valueOf(declared.read.status)).toEqual({});
  expect(() => declared.subnet.arn).toThrow('aws:ec2/subnet:Subnet output "arn" is read, but not in stacks/unread-outputs.ts READ');
  expect(() => declared.reference!.arn).toThrow('aws:ec2/subnet:Subnet output "arn" is read');
});
