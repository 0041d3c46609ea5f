import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AppPlan, MeshSettings } from "../../plan";
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
}

/**
 * An app declared once and placed through Karmada: its namespace, Deployment and Service as
 * templates in the Karmada API (Karmada copies the namespace, labels included, to every member), a
 * PropagationPolicy for each (the Service, and in sidecar mode its DestinationRule, in every
 * workload cluster), and an OverridePolicy for what differs per cluster.
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

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: app.name, labels: mesh.namespace } },
      { ...karmada.templateOptions, parent: this, dependsOn: karmada.ready },
    );
    const afterNamespace = { ...inKarmada, dependsOn: [namespace] };
    const placement = new k8s.apiextensions.CustomResource(`${name}-propagation`, propagationPolicy(app), afterNamespace);
    const override = overridePolicy(app);
    const overrides = override ? [new k8s.apiextensions.CustomResource(`${name}-override`, override, afterNamespace)] : [];
    const servicePlacement = new k8s.apiextensions.CustomResource(`${name}-service-propagation`, servicePolicy(app, sidecars), afterNamespace);

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
    if (sidecars) {
      new k8s.apiextensions.CustomResource(`${name}-traffic`, destinationRule(app), {
        ...karmada.templateOptions,
        parent: this,
        dependsOn: [servicePlacement],
      });
    }
    this.registerOutputs({});
  }
}
