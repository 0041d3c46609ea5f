import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AppPlan, MeshSettings } from "../../plan";
import type { Cluster } from "../cluster";
import { envList, overridePolicy, propagationPolicy, servicePolicy } from "./policies";
import { destinationRule, meshLabels } from "./traffic";

/** The Karmada API as the app needs it. */
export interface PlacementApi {
  /** Options for templates in the Karmada API: its provider, and no await (nothing runs there). */
  templateOptions: pulumi.CustomResourceOptions;
  /** Provider of the Karmada API, for the policies. */
  provider: k8s.Provider;
  /** What must exist before anything is placed: the member registrations, and what the pods need there. */
  ready: pulumi.Input<pulumi.Resource>[];
}

export interface PlacedAppArgs {
  /** The app as the plan placed it. */
  app: AppPlan;
  karmada: PlacementApi;
  /** The stack's mesh mode: how the app's namespace joins the mesh and how callers fail over. */
  meshMode: MeshSettings["mode"];
  /** The workload clusters, where its callers are: in sidecar mode each gets the app's traffic policy. */
  callers: Cluster[];
}

/**
 * An app declared once and placed through Karmada: its namespace, Deployment and Service as
 * templates in the Karmada API (Karmada copies the namespace, labels included, to every member), a
 * PropagationPolicy for each (the Service in every workload cluster), an OverridePolicy for what
 * differs per cluster, and in sidecar mode the callers' DestinationRule in every workload cluster.
 * The policies are created before the templates, so no template is ever left unmatched.
 */
export class PlacedApp extends pulumi.ComponentResource {
  constructor(name: string, args: PlacedAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:PlacedApp", name, {}, opts);
    const { app, karmada } = args;
    const inKarmada = { parent: this, provider: karmada.provider };
    const labels = { app: app.name };
    const mesh = meshLabels(args.meshMode);
    const sidecars = args.meshMode === "sidecar";

    // Awaited (no skipAwait): its deletion finishes before the same name can be placed again.
    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: app.name, labels: mesh.namespace } },
      { ...inKarmada, dependsOn: karmada.ready },
    );
    // Policies wait for what the pods need too: an update may place the app on a new cluster.
    const afterNamespace = { ...inKarmada, dependsOn: [namespace, ...karmada.ready] };
    const placement = new k8s.apiextensions.CustomResource(`${name}-propagation`, propagationPolicy(app), afterNamespace);
    const override = overridePolicy(app);
    const overrides = override ? [new k8s.apiextensions.CustomResource(`${name}-override`, override, afterNamespace)] : [];
    const servicePlacement = new k8s.apiextensions.CustomResource(`${name}-service-propagation`, servicePolicy(app), afterNamespace);

    new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: app.name, namespace: app.name, labels },
        spec: {
          replicas: app.replicas,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: app.name,
                  image: app.image,
                  ports: [{ name: "http", containerPort: app.port }],
                  ...(Object.keys(app.env).length > 0 ? { env: envList(app.env) } : {}),
                },
              ],
            },
          },
        },
      },
      { ...karmada.templateOptions, parent: this, dependsOn: [placement, ...overrides] },
    );
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: app.name, namespace: app.name, labels: { ...labels, ...mesh.service } },
        spec: { selector: labels, ports: [{ name: "http", port: app.port, targetPort: "http" }] },
      },
      { ...karmada.templateOptions, parent: this, dependsOn: [servicePlacement] },
    );
    // Made in each cluster, in Istio's root namespace (whose rules apply to every namespace):
    // the Karmada API has no Istio CRDs, and the app's namespace appears in a member only later.
    for (const cluster of sidecars ? args.callers : []) {
      new k8s.apiextensions.CustomResource(`${name}-traffic-${cluster.name}`, destinationRule(app), {
        parent: this,
        provider: cluster.provider,
        dependsOn: karmada.ready,
      });
    }
    this.registerOutputs({});
  }
}
