import { mkdtempSync, readFileSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { main as planView } from "../../tools/plan-view/cli";
import { withoutStackTraces } from "../support/quiet";

// `npm run plan -- --stack <s>`: what a reviewer reads without the CLI, credentials or clusters.
const root = join(__dirname, "..", "..");
const main = (args: string[], dir: string) => withoutStackTraces(() => planView(args, dir));

describe("dev", () => {
  let text: string;
  let files: string[];
  beforeAll(async () => {
    ({ text, files } = await main(["--stack", "dev", "--out", mkdtempSync(join(tmpdir(), "plan-"))], root));
  });

  test("the network plan: every range, pool and port of every cluster", () => {
    const row = (cluster: string) => text.split("\n").find((l) => l.startsWith(`${cluster} `))!;
    expect(row("west").split(/\s+/)).toEqual(["west", "workload", "kind", "us-west", "west", "1", "10.65.0.0/16", "10.96.16.0/20", "172.18.255.16/28", "127.0.0.1:36444", "(west)"]);
    expect(row("mgmt")).toContain("127.0.0.1:36443");
    expect(text).toContain("docker network kind 172.18.0.0/16; Karmada API on 127.0.0.1:35443");
  });

  test("the resources per cluster, by component and type", () => {
    const section = text.split("## Resources by cluster")[1].split("## Fleet")[0];
    for (const heading of ["mgmt (", "west (", "east (", "Karmada API (", "fleet ("]) expect(section).toContain(`\n${heading}`);
    expect(section).toMatch(/west \(\d+ resources\)\n {2}west \(platform:index:KindCluster\)/);
    expect(section).toContain("2 × kubernetes:cluster.karmada.io/v1alpha1:Cluster");
    expect(text).toMatch(/^# Stack dev: 3 clusters, \d+ resources declared \(not counting/m);
  });

  test("the fleet diagram, written as a page that opens offline", () => {
    const diagram = readFileSync(files[0], "utf8");
    expect(diagram.split("\n")[0]).toBe("flowchart LR");
    for (const name of ["mgmt", "west", "east"]) expect(diagram).toContain(`subgraph ${name}[`);
    expect(diagram).toContain('west_ew <-- "mTLS, mesh platform (sidecar)" --> east_ew');
    expect(diagram).toContain("mgmt_karmada -- push --> west");
    const page = readFileSync(files[1], "utf8");
    expect(page).toContain('<script src="mermaid.min.js"></script>');
    expect(page).toContain("west_ew &lt;-- ");
    expect(statSync(files[2]).size).toBeGreaterThan(1_000_000);
  });
});

test("prod plans from the repository's stack file alone, saying what stands in for the deployer's ranges", async () => {
  const { text } = await main(["--stack", "prod", "--out", mkdtempSync(join(tmpdir(), "plan-"))], root);
  expect(text).toContain("(eks.publicAccessCidrs is not in the stack file: shown with the documentation range 192.0.2.0/24 in its place)");
  expect(text).toContain("zone 0: private 10.2.0.0/18, public 10.2.192.0/20");
  expect(text).toContain("internal load balancers admit 10.0.0.0/10");
  expect(text).toMatch(/mgmt-network \(platform:index:EksNetwork\)/);
});

test("an unknown stack is named with the stacks there are", async () => {
  await expect(main(["--stack", "nope"], root)).rejects.toThrow(/no stack file .*Pulumi\.nope\.yaml: the stacks are (dev, prod|prod, dev)/);
});
