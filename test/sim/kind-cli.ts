/**
 * The simulation's `kind`: the subcommands the dev stack's scripts call (components/kind/cluster.ts),
 * answered with simulated clusters (cluster.ts) instead of Docker containers. Anything else is
 * refused, so a script that starts calling kind differently fails here rather than passing unseen.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { createCluster, deleteCluster, parseKindConfig, readRecord } from "./cluster";
import { optionValues } from "./cli-args";
import { readFleet, stateDir } from "./fleet";
import { kubeFromKubeconfig } from "./kube";
import { beyond, inventory } from "./leftovers";

const option = (args: string[], name: string): string | undefined => optionValues(args, name)[0];

export async function main(args: string[]): Promise<number> {
  const [verb, noun] = args;
  const name = option(args, "--name") ?? "kind";
  if (verb === "get" && noun === "clusters") {
    const dir = join(stateDir(), "clusters");
    const names = existsSync(dir) ? readdirSync(dir).filter((n) => readRecord(n)) : [];
    if (names.length === 0) process.stderr.write("No kind clusters found.\n");
    for (const n of names.sort()) process.stdout.write(`${n}\n`);
    return 0;
  }
  if (verb === "get" && noun === "kubeconfig") {
    const record = readRecord(name);
    if (!record) {
      process.stderr.write(`ERROR: could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster\n`);
      return 1;
    }
    process.stdout.write(record.kubeconfig);
    return 0;
  }
  if (verb === "create" && noun === "cluster") {
    const source = option(args, "--config");
    if (!source) throw new Error("kind create cluster: the simulation needs --config");
    const config = parseKindConfig(readFileSync(source === "-" ? 0 : source, "utf8"));
    config.name = name;
    process.stderr.write(`Creating cluster "${name}" (simulated: KWOK) ...\n`);
    const record = await createCluster(config, readFleet().binaries);
    const kubeconfig = option(args, "--kubeconfig");
    if (kubeconfig) writeFileSync(kubeconfig, record.kubeconfig, { mode: 0o600 });
    process.stderr.write(`Cluster "${name}" is ready: ${record.server}, nodes ${record.nodes.join(", ")}\n`);
    return 0;
  }
  if (verb === "delete" && noun === "cluster") {
    process.stderr.write(`Deleting cluster "${name}" (simulated) ...\n`);
    const record = readRecord(name);
    if (record) {
      const baseline = JSON.parse(readFileSync(join(stateDir(), "clusters", name, "baseline.json"), "utf8"));
      const left = beyond(await inventory(kubeFromKubeconfig(record.kubeconfig)), baseline);
      mkdirSync(join(stateDir(), "leftovers"), { recursive: true });
      writeFileSync(join(stateDir(), "leftovers", `${name}.json`), JSON.stringify(left, null, 2));
    }
    await deleteCluster(name);
    return 0;
  }
  process.stderr.write(`kind (simulated): \`kind ${args.join(" ")}\` is not simulated\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`ERROR: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
