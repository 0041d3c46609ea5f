import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import { FLEETS } from "../../tools/bench/fleets";
import { projectNodeArgs } from "../../tools/offline/config";
import { BEGIN, docsRow, END, HEADER, LABEL, withBlock } from "../../tools/bench/table";

// docs/performance.md's figures are the bench's own (`npm run bench -- --write-docs`), never typed
// by hand: its block has the bench's form and a row for every fleet the bench evaluates, in order.
const doc = readFileSync(join(__dirname, "..", "..", "docs", "performance.md"), "utf8");
const block = doc.slice(doc.indexOf(BEGIN), doc.indexOf(END) + END.length).split("\n");

test("the docs' table is one marked block in the bench's form, a row per benchmarked fleet", () => {
  expect(doc.split(BEGIN)).toHaveLength(2);
  // Measured with the node flags Pulumi starts the program with.
  const flags = projectNodeArgs(join(__dirname, "..", "..")).join(" ");
  expect(block[1]).toMatch(/^Measured by the bench on \d+ × .+, \d+ GiB, Node v\d+\.\d+\.\d+ with Pulumi\.yaml's `(.*)`\.$/);
  expect(block[1].match(/`(.*)`/)![1]).toBe(flags || "no node flags");
  expect(block.slice(3, 5)).toEqual(HEADER);
  const rows = block.slice(5, -1);
  expect(rows.map((row) => row.split(" | ")[0].slice(2))).toEqual(FLEETS.map(([stack, size]) => `${LABEL[stack]} 1+${size}`));
  const figures = /^\| (EKS|kind) 1\+\d+ \| \d+ \| (peering|Transit Gateway|-) \| \d+\.\d s \| [\d,]+ MiB \| [\d,]+ \| \d+\.\d \| [\d,.]+ min \| [\d,.]+ min \| [\d,]+ min \| (–|\d+\.\d s \(\d+\.\d–\d+\.\d\), [\d,]+ MiB) \| (–|\d+\.\d s, [\d,]+ MiB) \|$/;
  for (const row of rows) expect(row).toMatch(figures);
});

test("a run becomes a row as the docs show it; the block is replaced in place", () => {
  const run = { stack: "prod" as const, size: 25, clusters: 26, connectivity: "transitGateway", seconds: 2.64, peakMiB: 1591.6, resources: 2487, critical: 24.24, lowerBound: 24.1, sequential: 1037.4 };
  expect(docsRow(run)).toBe("| EKS 1+25 | 26 | Transit Gateway | 2.6 s | 1,592 MiB | 2,487 | 95.7 | 24.2 min | 24.1 min | 1,037 min | – | – |");
  expect(docsRow({ ...run, withTraces: { seconds: 11.04, peakMiB: 1170, range: [10.96, 13.2] }, underHost: { seconds: 30.55, peakMiB: 1300.2 } })).toMatch(
    /\| 11\.0 s \(11\.0–13\.2\), 1,170 MiB \| 30\.6 s, 1,300 MiB \|$/,
  );
  expect(docsRow({ stack: "prod", size: 50, refused: ["eks.publicAccessCidrs has 41 ranges"] })).toBe(
    "| EKS 1+50 | – | – | refused by the plan: eks.publicAccessCidrs has 41 ranges | | | | | | | | |",
  );
  expect(withBlock(`before\n${BEGIN}\nold\n${END}\nafter`, "new")).toBe("before\nnew\nafter");
  expect(() => withBlock("no markers", "new")).toThrow("docs/performance.md has no block");
});

test("the node flags Pulumi.yaml gives the program are flags this node accepts", () => {
  const flags = projectNodeArgs(join(__dirname, "..", ".."));
  expect(flags).toContain("--max-semi-space-size=64");
  // An unknown flag stops node before the program runs: every `pulumi up` would fail.
  const run = spawnSync(process.execPath, [...flags, "-e", "0"], { encoding: "utf8" });
  expect([run.status, run.stderr]).toEqual([0, ""]);
});

test("the language host loads source maps before the program, as the bench's last column does", () => {
  // pulumi-language-nodejs starts `@pulumi/pulumi/cmd/run`, which formats every stack trace through them.
  const host = readFileSync(require.resolve("@pulumi/pulumi/cmd/run/index.js"), "utf8");
  expect(host).toMatch(/require\("source-map-support\/register"\)/);
});
