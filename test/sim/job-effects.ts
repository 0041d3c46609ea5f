/**
 * The Karmada chart's Jobs, done by the simulation: the pre-install Job makes Karmada's
 * certificates and its admin kubeconfig Secret (here: starts the real control plane, karmada.ts,
 * and writes the Secret for it); the post-delete Job removes what the pre-install one made (here:
 * stops the plane too). The plane answers on the host port the kind config maps to the node port
 * the platform reserves for the Karmada API, where the program reaches the chart's.
 */
import { join } from "path";
import { nodePort } from "../../components/kind/ports";
import { nodeNames, readRecord } from "./cluster";
import type { JobEffect } from "./controllers";
import type { FleetSettings } from "./fleet";
import type { Kube } from "./kube";
import { startKarmada, stopKarmada } from "./karmada";
import { releaseObjects } from "./release";
import { parse } from "yaml";

const NAMESPACE = "karmada-system";
/** The Secrets the chart's pre-install Job writes (its post-delete Job deletes them). */
const SECRETS = ["karmada-kubeconfig", "karmada-cert", "karmada-webhook-cert"];

export function karmadaJobEffects(state: string, fleet: FleetSettings): JobEffect[] {
  const dir = join(state, "karmada");
  return [
    {
      job: "karmada-pre-install",
      namespace: NAMESPACE,
      async effect(cluster, kube) {
        const record = readRecord(cluster, state)!;
        const port = record.config.nodes
          .flatMap((n) => n.extraPortMappings ?? [])
          .find((m) => m.containerPort === nodePort("karmada-api"))?.hostPort;
        if (port === undefined) throw new Error(`${cluster} maps no host port to the Karmada API's node port ${nodePort("karmada-api")}`);
        const hosts = nodeNames(record.config).map((n) => n.name);
        // What the chart rendered for its pods, and the static resources its jobs apply.
        const objects = await releaseObjects(kube, NAMESPACE, "karmada");
        const config = await kube.get(`/api/v1/namespaces/${NAMESPACE}/configmaps/karmada-config`);
        const staticResources = parse(config.data["static-resources-configmaps.yaml"]).data as Record<string, string>;
        await stopKarmada(dir);
        const plane = await startKarmada(dir, port, hosts, fleet.binaries, fleet.tunnelPort, { objects, staticResources });
        await putSecret(kube, "karmada-kubeconfig", { kubeconfig: plane.chartKubeconfig });
      },
    },
    {
      job: "karmada-post-delete",
      namespace: NAMESPACE,
      async effect(_cluster, kube) {
        await stopKarmada(dir);
        for (const name of SECRETS) await kube.call("DELETE", `/api/v1/namespaces/${NAMESPACE}/secrets/${name}`);
      },
    },
  ];
}

async function putSecret(kube: Kube, name: string, stringData: Record<string, string>): Promise<void> {
  const body = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: NAMESPACE }, type: "Opaque", stringData };
  let res = await kube.call("POST", `/api/v1/namespaces/${NAMESPACE}/secrets`, body);
  if (res.status === 409) res = await kube.call("PUT", `/api/v1/namespaces/${NAMESPACE}/secrets/${name}`, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`Secret ${NAMESPACE}/${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
}
