import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

// The CI workflows users run, held to their structure so they cannot silently rot.
type Step = { id?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
  steps: Step[];
  uses?: string;
  environment?: string;
  needs?: string | string[];
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: any;
  env?: Record<string, string>;
};
const root = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const workflow = (file: string) => parse(read(join(".github", "workflows", file))) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, Job> };
const pulumi = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
const files = ["check.yml", "pull-request.yml", "deploy.yml"];
const all = files.map(workflow);
/** Jobs with steps of their own (a job that calls a reusable workflow has none). */
const stepJobs = all.flatMap((wf) => Object.values(wf.jobs).filter((j) => j.steps));
const needs = (job: Job) => [job.needs ?? []].flat();

test("check.yml runs .ci/run on every pull request and push; deploy's jobs all wait for it", () => {
  const check = workflow("check.yml");
  expect(Object.keys(check.on).sort()).toEqual(["pull_request", "push", "workflow_call"]);
  // main's pushes run it from deploy.yml (as its gate), not twice.
  expect(check.on.push).toEqual({ "branches-ignore": ["main"] });
  expect(check.jobs.check.steps.at(-1)!.run).toBe(".ci/run");
  const deploy = workflow("deploy.yml");
  expect(deploy.jobs.check.uses).toBe("./.github/workflows/check.yml");
  for (const name of ["dev", "prod"]) expect(needs(deploy.jobs[name])).toContain("check");
});

test("a failed preview is posted to the pull request too (pulumi/actions v7 comments only on success)", () => {
  const steps = workflow("pull-request.yml").jobs.preview.steps;
  const onFailure = steps.filter((s) => s.if === "failure() && steps.preview.outcome == 'failure'");
  expect(pulumi({ steps } as Job)[0].id).toBe("preview");
  expect(onFailure[0].run).toMatch(/^pulumi preview --stack "\$STACK" --policy-pack \.\/policy .*>"\$RUNNER_TEMP\/preview\.txt"$/);
  expect(onFailure[1].uses).toMatch(/^actions\/github-script@/);
  expect(String(onFailure[1].with!.script)).toContain("preview.txt");
  expect(String(onFailure[1].with!.script)).toContain("createComment");
});

test("every action is pinned by full commit SHA, its release in a comment", () => {
  for (const file of files) {
    const uses = read(join(".github", "workflows", file))
      .split("\n")
      .filter((l) => /^\s*(- )?uses:/.test(l) && !l.includes("./.github/"));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  }
});

test("AWS sessions stay within the roles' default 1 h maximum unless docs/ci.md raises both", () => {
  const aws = stepJobs.flatMap((j) => j.steps.filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")));
  expect(aws.length).toBe(2);
  for (const step of aws) {
    const duration = String(step.with!["role-duration-seconds"]);
    const fixed = /^\d+$/.test(duration) ? Number(duration) : undefined;
    if (fixed !== undefined) expect(fixed).toBeLessThanOrEqual(3600);
    else expect(duration).toBe("${{ vars.DEPLOY_SESSION_SECONDS || 3600 }}");
  }
  expect(read("docs/ci.md")).toMatch(/--max-session-duration[\s\S]*DEPLOY_SESSION_SECONDS/);
});

test("one Node decision: engines, .nvmrc, every workflow, the README, this test run", () => {
  const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
  const floor = Number(/^>=(\d+)$/.exec(engines)![1]);
  expect((JSON.parse(read("package-lock.json")) as { packages: Record<string, { engines?: unknown }> }).packages[""].engines).toEqual({ node: engines });
  const ci = Number(read(".nvmrc").trim());
  expect(ci).toBeGreaterThanOrEqual(floor);
  for (const job of stepJobs) {
    expect(job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"))?.with).toMatchObject({ "node-version-file": ".nvmrc" });
  }
  expect(read("README.md")).toContain(`**Node.js ${floor} or ${ci}**`);
  expect(Number(process.versions.node.split(".")[0])).toBeGreaterThanOrEqual(floor);
});

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
  expect(needs(prod)).toEqual(["check", "dev"]);
  expect(prod.concurrency).toEqual({ group: "pulumi-prod", "cancel-in-progress": false });
  const [up] = pulumi(prod);
  expect(up.with).toMatchObject({ command: "up", "stack-name": "prod", "cloud-url": "${{ vars.PROD_STATE_URL }}", policyPacks: "${{ github.workspace }}/policy" });
});

test("secrets come from the secret store, npm is cached, the CLI is pinned", () => {
  for (const wf of all.slice(1)) {
    for (const job of Object.values(wf.jobs).filter((j) => j.steps)) {
      const node = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
      expect(node?.with).toMatchObject({ cache: "npm" });
      expect(job.steps.some((s) => s.run?.startsWith("npm ci"))).toBe(true);
      for (const step of pulumi(job)) expect(step.with!["pulumi-version"]).toBe("3.270.0");
      const passphrase = [job.env, ...job.steps.map((s) => s.env)].find((e) => e?.PULUMI_CONFIG_PASSPHRASE)?.PULUMI_CONFIG_PASSPHRASE;
      expect(passphrase).toBe("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    }
  }
});
