/**
 * The simulation's `docker`: what the dev stack's scripts ask of it (components/kind/network.ts,
 * entry.ts, host-tools.ts). Networks and containers are records in the fleet's state, never run:
 * the fleet's entry proxy does not serve in the simulation (docs/testing.md). Anything else is refused.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { optionValues } from "./cli-args";
import { stateDir } from "./fleet";

const recordFile = (kind: "networks" | "containers", name: string) => join(stateDir(), "docker", kind, `${name}.json`);

function save(kind: "networks" | "containers", name: string, value: unknown): void {
  mkdirSync(join(stateDir(), "docker", kind), { recursive: true });
  writeFileSync(recordFile(kind, name), JSON.stringify(value, null, 2));
}

export function main(args: string[]): number {
  const [verb, ...rest] = args;
  if (verb === "info") return 0;
  if (verb === "network" && rest[0] === "inspect") {
    const name = rest[1];
    if (!existsSync(recordFile("networks", name))) {
      process.stderr.write(`Error response from daemon: network ${name} not found\n`);
      return 1;
    }
    const network = JSON.parse(readFileSync(recordFile("networks", name), "utf8")) as { subnet: string };
    const format = optionValues(rest, "--format")[0];
    // The one template the scripts use: each IPAM config's subnet on a line.
    if (format === "{{range .IPAM.Config}}{{println .Subnet}}{{end}}") process.stdout.write(`${network.subnet}\n`);
    else if (format !== undefined) throw new Error(`docker network inspect --format ${format} is not simulated`);
    else process.stdout.write(JSON.stringify([{ Name: name, IPAM: { Config: [{ Subnet: network.subnet }] } }], null, 2) + "\n");
    return 0;
  }
  if (verb === "network" && rest[0] === "create") {
    const name = rest[rest.length - 1];
    const subnet = optionValues(rest, "--subnet")[0];
    if (existsSync(recordFile("networks", name))) {
      process.stderr.write(`Error response from daemon: network with name ${name} already exists\n`);
      return 1;
    }
    save("networks", name, { name, subnet, driver: optionValues(rest, "--driver")[0] });
    process.stdout.write(`${name}\n`);
    return 0;
  }
  if (verb === "rm" && rest[0] === "-f") {
    for (const name of rest.slice(1)) {
      if (!existsSync(recordFile("containers", name))) {
        process.stderr.write(`Error response from daemon: No such container: ${name}\n`);
        return 1;
      }
      rmSync(recordFile("containers", name));
      process.stdout.write(`${name}\n`);
    }
    return 0;
  }
  if (verb === "run") {
    const name = optionValues(rest, "--name")[0];
    if (!name) throw new Error("docker run without --name is not simulated");
    if (existsSync(recordFile("containers", name))) {
      process.stderr.write(`docker: Error response from daemon: Conflict. The container name "/${name}" is already in use.\n`);
      return 125;
    }
    // Environment passed by name (-e NAME) takes the caller's value, as docker does.
    const env = Object.fromEntries(optionValues(rest, "-e").map((e) => (e.includes("=") ? [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)] : [e, process.env[e] ?? ""])));
    save("containers", name, { name, network: optionValues(rest, "--network")[0], ports: optionValues(rest, "-p"), env, args: rest });
    process.stdout.write(`${name}\n`);
    return 0;
  }
  process.stderr.write(`docker (simulated): \`docker ${args.join(" ")}\` is not simulated\n`);
  return 2;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`docker (simulated): ${(error as Error).message}\n`);
    process.exit(1);
  }
}
