/**
 * The Karmada chart's Jobs, done by the simulation as their scripts do them (charts/karmada/
 * templates/pre-install-job.yaml and post-delete-job.yaml at v1.18.2). The pre-install Job makes
 * the certificates, fills the placeholders of the files in its `<name>-config` ConfigMap with them
 * and applies those files to the host cluster (the certificate Secrets, the admin kubeconfig
 * Secret, the static resources' ConfigMaps); here the certificates are those of the real control
 * plane it starts (karmada.ts), on the host port the kind config maps to the node port the
 * platform reserves for the Karmada API, where the program reaches the chart's. The post-delete
 * Job deletes those files' objects, the ConfigMap and the controller manager's Deployment; here
 * it stops the plane too.
 */
import { join } from "path";
import { parse, parseAllDocuments } from "yaml";
import { nodePort } from "../../components/kind/ports";
import { readRecord } from "./cluster";
import { nodeNames } from "./nodes";
import type { JobEffect } from "./controllers";
import type { FleetSettings } from "./fleet";
import type { KubeObject } from "./kube";
import { startKarmada, stopKarmada } from "./karmada";
import { releaseObjects } from "./release";

const NAMESPACE = "karmada-system";
/** The release's name (components/management/karmada/control-plane.ts), and so the chart's `$name`. */
const RELEASE = "karmada";
const CONFIG = `${RELEASE}-config`;

/** The objects the job's files hold, placeholders filled. */
function configObjects(data: Record<string, string>, placeholders: Record<string, string>): KubeObject[] {
  return Object.values(data).flatMap((text) => {
    const filled = text.replace(/\{\{ (\w+) \}\}/g, (whole, key: string) => placeholders[key] ?? whole);
    return parseAllDocuments(filled).map((d) => d.toJS()).filter(Boolean);
  });
}

const collection = (object: KubeObject) => `/api/v1/namespaces/${NAMESPACE}/${object.kind === "Secret" ? "secrets" : "configmaps"}`;

export function karmadaJobEffects(state: string, fleet: FleetSettings): JobEffect[] {
  const dir = join(state, "karmada");
  return [
    {
      job: `${RELEASE}-pre-install`,
      namespace: NAMESPACE,
      async effect(cluster, kube) {
        const record = readRecord(cluster, state)!;
        const port = record.config.nodes.flatMap((n) => n.extraPortMappings ?? []).find((m) => m.containerPort === nodePort("karmada-api"))?.hostPort;
        if (port === undefined) throw new Error(`${cluster} maps no host port to the Karmada API's node port ${nodePort("karmada-api")}`);
        const config = (await kube.get(`/api/v1/namespaces/${NAMESPACE}/configmaps/${CONFIG}`)).data as Record<string, string>;
        const staticResources = parse(config["static-resources-configmaps.yaml"]).data as Record<string, string>;
        await stopKarmada(dir);
        const plane = await startKarmada(dir, port, nodeNames(record.config).map((n) => n.name), fleet.binaries, fleet.tunnelPort, {
          objects: await releaseObjects(kube, NAMESPACE, RELEASE),
          staticResources,
        });
        for (const object of configObjects(config, plane.placeholders)) await kube.put(collection(object), object);
      },
    },
    {
      job: `${RELEASE}-post-delete`,
      namespace: NAMESPACE,
      async effect(_cluster, kube) {
        await stopKarmada(dir);
        const config = await kube.call("GET", `/api/v1/namespaces/${NAMESPACE}/configmaps/${CONFIG}`);
        // Only names are needed: any placeholder value parses.
        const objects = config.status === 200 ? configObjects(config.body.data, new Proxy({}, { get: () => "x" })) : [];
        for (const object of objects) await kube.call("DELETE", `${collection(object)}/${object.metadata.name}`);
        await kube.call("DELETE", `/api/v1/namespaces/${NAMESPACE}/configmaps/${CONFIG}`);
        await kube.call("DELETE", `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${RELEASE}-controller-manager`);
      },
    },
  ];
}
