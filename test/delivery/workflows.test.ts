import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

// The CI workflows users run, held to their structure so they cannot silently rot.
type Step = { uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { steps: Step[]; environment?: string; needs?: string; concurrency?: { group: string; "cancel-in-progress": boolean }; strategy?: any; env?: Record<string, string> };
const workflow = (file: string) => parse(readFileSync(join(__dirname, "..", "..", ".github", "workflows", file), "utf8")) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const pulumi = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
const all = [workflow("pull-request.yml"), workflow("deploy.yml")];

test("every pull request previews dev and prod with the policy pack and comments the diff", () => {
  const pr = workflow("pull-request.yml");
  expect(Object.keys(pr.on)).toEqual(["pull_request"]);
  expect(pr.permissions).toMatchObject({ "pull-requests": "write", "id-token": "write", contents: "read" });
  const job = pr.jobs.preview;
  expect(job.strategy.matrix.include.map((m: { stack: string }) => m.stack)).toEqual(["dev", "prod"]);
  // prod reads the EKS APIs: not from a hosted runner, whose address changes.
  expect(job.strategy.matrix.include[1].runner).not.toBe("ubuntu-latest");
  // The throw-away backend exists before the action logs in to it.
  expect(job.steps.find((s) => s.run?.includes("pulumi-state"))?.run).toBe('mkdir -p "$RUNNER_TEMP/pulumi-state"');
  expect((job as unknown as { if: string }).if).toContain("head.repo.full_name == github.repository");
  expect(job.strategy["fail-fast"]).toBe(false);
  const [preview] = pulumi(job);
  expect(preview.with).toMatchObject({
    command: "preview",
    "stack-name": "${{ matrix.stack }}",
    "comment-on-pr": true,
    diff: true,
    policyPacks: "${{ github.workspace }}/policy",
  });
  // prod's state is shared (self-managed, configurable); dev's is thrown away with the runner.
  expect(preview.with!["cloud-url"]).toContain("vars.PROD_STATE_URL");
  expect(preview.with!["cloud-url"]).toContain("runner.temp");
});

test("main stands up dev (and tears it down), then prod behind a protected environment", () => {
  const deploy = workflow("deploy.yml");
  expect(deploy.on.push).toEqual({ branches: ["main"] });
  const dev = deploy.jobs.dev;
  expect(dev.steps.map((s) => s.run ?? "").filter((r) => r.startsWith("npm run dev:"))).toEqual([
    "npm run dev:up -- --yes --policy-pack ./policy",
    "npm run dev:destroy -- --yes",
  ]);
  expect(dev.steps.find((s) => s.run?.startsWith("npm run dev:destroy"))!.if).toBe("always()");
  expect(dev.steps.some((s) => s.run?.includes("KIND_VERSION"))).toBe(true);
  const prod = deploy.jobs.prod;
  expect((prod as unknown as { "runs-on": string })["runs-on"]).not.toBe("ubuntu-latest");
  expect(prod.environment).toBe("prod");
  expect(prod.needs).toBe("dev");
  expect(prod.concurrency).toEqual({ group: "pulumi-prod", "cancel-in-progress": false });
  const [up] = pulumi(prod);
  expect(up.with).toMatchObject({ command: "up", "stack-name": "prod", "cloud-url": "${{ vars.PROD_STATE_URL }}", policyPacks: "${{ github.workspace }}/policy" });
});

test("secrets come from the secret store, npm is cached, every action and the CLI are pinned", () => {
  for (const wf of all) {
    for (const job of Object.values(wf.jobs)) {
      const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
      expect(node?.with).toMatchObject({ "node-version": 22, cache: "npm" });
      expect(job.steps.some((s) => s.run?.startsWith("npm ci"))).toBe(true);
      for (const step of job.steps.filter((s) => s.uses)) expect(step.uses).toMatch(/@v\d+$/);
      for (const step of pulumi(job)) expect(step.with!["pulumi-version"]).toBe("3.270.0");
      const passphrase = [job.env, ...job.steps.map((s) => s.env)].find((e) => e?.PULUMI_CONFIG_PASSPHRASE)?.PULUMI_CONFIG_PASSPHRASE;
      expect(passphrase).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    }
  }
});
