/**
 * A Helm release as Helm stores it in the cluster (storage driver `secret`: the Secret
 * `sh.helm.release.v1.<name>.v<n>`, whose `release` is base64 of gzip of the release's JSON),
 * read the way the chart's pods would be given it: its rendered (and post-rendered) manifest.
 * Helm writes the release before it runs the pre-install hooks, so a hook's effect can read it.
 */
import { gunzipSync } from "zlib";
import { parseAllDocuments } from "yaml";
import type { Kube } from "./kube";

/** The newest stored release `name` in `namespace`: its manifest's objects. */
export async function releaseObjects(kube: Kube, namespace: string, name: string): Promise<any[]> {
  const secrets = await kube.list(`/api/v1/namespaces/${namespace}/secrets?labelSelector=${encodeURIComponent(`owner=helm,name=${name}`)}`);
  const newest = secrets.sort((a, b) => Number(b.metadata.labels.version) - Number(a.metadata.labels.version))[0];
  if (!newest) throw new Error(`no Helm release ${namespace}/${name} is stored`);
  const encoded = Buffer.from(newest.data.release, "base64").toString("utf8");
  const release = JSON.parse(gunzipSync(Buffer.from(encoded, "base64")).toString("utf8")) as { manifest: string };
  return parseAllDocuments(release.manifest).map((d) => d.toJS()).filter(Boolean);
}

/** The command line (command then args) of a Deployment's first container in `objects`. */
export function containerCommand(objects: any[], deployment: string): string[] {
  const found = objects.find((o) => o.kind === "Deployment" && o.metadata.name === deployment);
  if (!found) throw new Error(`the release renders no Deployment ${deployment}`);
  const container = found.spec.template.spec.containers[0];
  return [...(container.command ?? []), ...(container.args ?? [])];
}

/**
 * A component's flags as the chart rendered them, without `replaced` (those naming paths, ports
 * and addresses inside its pod, which the simulation sets for a local process) and its binary.
 */
export function renderedFlags(command: string[], replaced: string[]): string[] {
  return command.filter((arg) => arg.startsWith("--") && !replaced.includes(arg.slice(2).split("=")[0]));
}
