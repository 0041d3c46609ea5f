import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KindClusterPlan } from "../../plan";
import {
  buildKubeconfig,
  type Cluster,
  clusterProvider,
  type PlatformService,
  readCertificateCredentials,
  type ServiceReach,
  type ServiceRequest,
} from "../cluster";
import { internalEndpoint, renderKindConfig } from "./config";
import { requireTools } from "../cluster";
import { MetalLb } from "./metallb";
import { portMappings } from "./ports";
import { kindReach } from "./reach";

export interface KindClusterArgs {
  /** The validated plan entry for this cluster. */
  spec: KindClusterPlan;
  /**
   * Host ports on 127.0.0.1 forwarded to the node ports of services the host running Pulumi
   * calls (the Karmada API). Fixed at creation: a mapping added later recreates the cluster.
   * Default: none.
   */
  hostPorts?: Partial<Record<PlatformService, number>>;
  /**
   * Resources whose completion this cluster's creation waits for. The dev stack uses it to
   * bound how many kind clusters boot at once. Default: none.
   */
  createAfter?: pulumi.Resource[];
  /** Seconds to wait before the one retry of a failed create. Default 20. */
  retryDelaySeconds?: number;
}

/** Prints the kubeconfig of an existing cluster, or fails if it does not exist. */
const PRINT_KUBECONFIG = `kind get kubeconfig --name "$KIND_CLUSTER"`;

const CREATE = `${requireTools(["docker", "kind"])}
# Read the list whole: under pipefail, grep -q closing the pipe early would fail kind with SIGPIPE.
existing=$(kind get clusters 2>/dev/null || true)
if grep -qx "$KIND_CLUSTER" <<<"$existing"; then
  echo "platform: a kind cluster named $KIND_CLUSTER already exists outside this stack; delete it (kind delete cluster --name $KIND_CLUSTER) or rename the cluster; for a second fleet on this host, set platform:kind.hostSlot" >&2
  exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# --kubeconfig keeps ~/.kube/config untouched; the stack owns this cluster's kubeconfig.
create() { printf '%s' "$KIND_CONFIG" | kind create cluster --name "$KIND_CLUSTER" --config - --kubeconfig "$scratch/kubeconfig" --wait 180s >&2; }
# A failed create removes its own nodes (no --retain), so a retry starts clean and never
# touches a cluster of the same name that someone else made meanwhile.
if ! create; then
  echo "platform: creating kind cluster $KIND_CLUSTER failed; retrying once in $KIND_RETRY_DELAY s" >&2
  sleep "$KIND_RETRY_DELAY"
  create
fi
${PRINT_KUBECONFIG}`;

// Only non-identity inputs can change in place (the config is a trigger): keep the cluster.
const UPDATE = `${requireTools(["docker", "kind"])}
${PRINT_KUBECONFIG}`;

// Deleting a cluster that is already gone succeeds, so a hand-deleted cluster destroys cleanly.
const DELETE = `${requireTools(["docker", "kind"])}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
kind delete cluster --name "$KIND_CLUSTER" --kubeconfig "$scratch/kubeconfig" >&2`;

/**
 * A local kind cluster, driven through the `kind` CLI (there is no kind Pulumi provider on the
 * npm registry). Its kind config is a replacement trigger, so any change recreates it.
 */
export class KindCluster extends pulumi.ComponentResource implements Cluster {
  readonly name: string;
  readonly spec: KindClusterPlan;
  readonly provider: k8s.Provider;
  readonly kubeconfig: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly internalEndpoint: pulumi.Output<string>;
  readonly caData: pulumi.Output<string>;
  readonly infrastructure = "kind";
  /** The `kind create cluster` command: what bounded start-up waits on. */
  readonly created: command.local.Command;
  private readonly resourceName: string;
  private readonly hostPorts: Partial<Record<PlatformService, number>>;
  private metalLb?: MetalLb;

  constructor(name: string, args: KindClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:KindCluster", name, {}, opts);
    const { spec } = args;
    this.name = spec.name;
    this.spec = spec;
    this.resourceName = name;
    this.hostPorts = args.hostPorts ?? {};
    const kindConfig = renderKindConfig(spec, portMappings(this.hostPorts));

    this.created = new command.local.Command(
      `${name}-cluster`,
      {
        create: CREATE,
        update: UPDATE,
        delete: DELETE,
        interpreter: ["/bin/bash", "-c"],
        environment: {
          KIND_CLUSTER: spec.kindName,
          KIND_CONFIG: kindConfig,
          KIND_RETRY_DELAY: String(args.retryDelaySeconds ?? 20),
        },
        triggers: [kindConfig],
        // stdout is the admin kubeconfig: never logged, always secret, never handed to the next run.
        logging: "stderr",
        addPreviousOutputInEnv: false,
      },
      {
        parent: this,
        dependsOn: args.createAfter,
        deleteBeforeReplace: true,
        additionalSecretOutputs: ["stdout"],
      },
    );

    const kindKubeconfig = this.created.stdout.apply((text) => readCertificateCredentials(text, "kind get kubeconfig"));
    this.endpoint = pulumi.output(`https://127.0.0.1:${spec.apiServerPort}`);
    this.internalEndpoint = pulumi.output(internalEndpoint(spec));
    this.caData = kindKubeconfig.caData;
    this.kubeconfig = pulumi.secret(
      pulumi.all([this.endpoint, kindKubeconfig]).apply(([server, kc]) =>
        buildKubeconfig({
          name: spec.name,
          server,
          caData: kc.caData,
          user: { clientCertificateData: kc.clientCertificateData, clientKeyData: kc.clientKeyData },
        }),
      ),
    );
    this.provider = clusterProvider(`${name}-k8s`, this.kubeconfig, { parent: this });

    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      endpoint: this.endpoint,
      internalEndpoint: this.internalEndpoint,
      caData: this.caData,
    });
  }

  reach(request: ServiceRequest): ServiceReach {
    return kindReach(
      { spec: this.spec, provider: this.provider, hostPorts: this.hostPorts, loadBalancer: () => this.loadBalancer() },
      request,
    );
  }

  /** MetalLB with the plan's pool, installed the first time a service asks for a load balancer. */
  private loadBalancer(): pulumi.Resource[] {
    this.metalLb ??= new MetalLb(
      `${this.resourceName}-metallb`,
      { pool: this.spec.lbCidr, provider: this.provider, kubeconfig: this.kubeconfig },
      // The mesh installed it before kind clusters owned it: keep running fleets' MetalLB in place.
      { parent: this, aliases: [{ name: `mesh-${this.name}-metallb`, parent: pulumi.createUrn("mesh", "platform:index:Mesh") }] },
    );
    return this.metalLb.ready;
  }
}
