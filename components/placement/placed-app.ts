import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KarmadaAppPlan, MeshSettings } from "../../plan";
import type { Cluster } from "../cluster";
import { APP_PORT_NAME, networkPolicies, sameNetworkPodRanges } from "./baseline";
import { envList, overridePolicy, propagationPolicy, servicePolicy } from "./policies";
import { callerTraffic, meshLabels } from "./traffic";

/** What Pod Security `restricted` demands of a pod, and of each container. */
const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

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
  app: KarmadaAppPlan;
  karmada: PlacementApi;
  /** The stack's mesh mode: how the app's namespace joins the mesh and how callers fail over. */
  meshMode: MeshSettings["mode"];
  /** Users reach it as `<name>.<domain>` at every workload cluster's ingress gateway. */
  domain: string;
  /** The workload clusters, where its callers are: in sidecar mode each gets the app's traffic policy. */
  callers: Cluster[];
}

/**
 * An app declared once and placed through Karmada: its namespace, Deployment and Service as
 * templates in the Karmada API (Karmada copies the namespace, labels included, to every member), a
 * PropagationPolicy for each (the Service in every workload cluster), an OverridePolicy for what
 * differs per cluster, the namespace's NetworkPolicies with the Service, and in every workload
 * cluster the app's DestinationRule and its route at the ingress gateway.
 * The policies are created before the templates, so no template is ever left unmatched.
 */
export class PlacedApp extends pulumi.ComponentResource {
  constructor(name: string, args: PlacedAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:PlacedApp", name, {}, opts);
    const { app, karmada } = args;
    const restricted = app.podSecurity === "restricted";
    const inKarmada = { parent: this, provider: karmada.provider };
    const labels = { app: app.name };
    const mesh = meshLabels(args.meshMode, app.podSecurity);

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
                  ports: [{ name: APP_PORT_NAME, containerPort: app.port }],
                  ...(Object.keys(app.env).length > 0 ? { env: envList(app.env) } : {}),
                  resources: app.resources,
                  ...(app.probe ? httpProbes(app.probe) : {}),
                  ...(restricted ? { securityContext: RESTRICTED_CONTAINER } : {}),
                },
              ],
              ...(restricted ? { securityContext: RESTRICTED_POD } : {}),
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
        spec: { selector: labels, ports: [{ name: "http", port: app.port, targetPort: APP_PORT_NAME }] },
      },
      { ...karmada.templateOptions, parent: this, dependsOn: [servicePlacement] },
    );
    for (const policy of networkPolicies(app, args.meshMode, sameNetworkPodRanges(args.callers))) {
      new k8s.networking.v1.NetworkPolicy(`${name}-network-${policy.metadata.name}`, policy, {
        ...karmada.templateOptions,
        parent: this,
        dependsOn: [servicePlacement],
      });
    }
    callerTraffic(this, name, app, args.domain, args.callers, karmada.ready);
    this.registerOutputs({});
  }
}

/** Readiness and liveness by HTTP GET on the app's port; liveness restarts a copy silent for a minute. */
function httpProbes(probe: { path: string; initialDelaySeconds: number }) {
  const httpGet = { path: probe.path, port: APP_PORT_NAME };
  return {
    readinessProbe: { httpGet, initialDelaySeconds: probe.initialDelaySeconds, periodSeconds: 5 },
    livenessProbe: { httpGet, initialDelaySeconds: probe.initialDelaySeconds, periodSeconds: 10, failureThreshold: 6 },
  };
}
