import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { requireTools } from "../cluster";
import { chartSource, METALLB_CHART } from "../versions";

export interface MetalLbArgs {
  /** The address pool: the cluster's `lbCidr`, inside the docker `kind` network. */
  pool: string;
  /** The kind cluster's provider. */
  provider: k8s.Provider;
  /** The cluster's admin kubeconfig (secret), for the wait on the webhook. */
  kubeconfig: pulumi.Input<string>;
}

/** How long MetalLB's webhook may take to serve after its controller reports ready. */
export const WEBHOOK_READY_TIMEOUT_SECONDS = 300;

// MetalLB's controller reports ready before its webhook serves (it rotates its certificate
// first): a pool created in between is refused. A server-side dry run of the very pool goes
// through the webhook, so its success is the proof.
const WAIT_FOR_WEBHOOK = `${requireTools(["kubectl"])}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '%s' "$KUBECONFIG_DATA" > "$scratch/kubeconfig"
deadline=$((SECONDS + READY_TIMEOUT))
until printf '%s' "$MANIFEST" | kubectl --kubeconfig "$scratch/kubeconfig" apply --dry-run=server -f - >"$scratch/out" 2>&1; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "platform: MetalLB's webhook did not accept the address pool within $READY_TIMEOUT s: $(cat "$scratch/out")" >&2
    exit 1
  fi
  sleep "\${POLL_SECONDS:-3}"
done`;

const NAMESPACE = "metallb-system";

/**
 * MetalLB in plain L2 mode on a kind cluster, announcing the cluster's own pool from the plan,
 * so LoadBalancer Services (the east-west gateway) get addresses other kind clusters reach.
 */
export class MetalLb extends pulumi.ComponentResource {
  /** The pool and its advertisement: what a LoadBalancer Service must wait for. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: MetalLbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:MetalLb", name, {}, opts);
    const inCluster = { parent: this, provider: args.provider };

    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: NAMESPACE,
          // The speaker needs host networking and raw sockets.
          labels: {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/audit": "privileged",
            "pod-security.kubernetes.io/warn": "privileged",
          },
        },
      },
      inCluster,
    );
    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "metallb",
        namespace: namespace.metadata.name,
        ...chartSource(METALLB_CHART),
        values: metalLbValues(),
      },
      inCluster,
    );
    const poolObject = {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: "platform", namespace: NAMESPACE },
      spec: { addresses: [args.pool], autoAssign: true },
    };
    const webhook = new command.local.Command(
      `${name}-webhook-ready`,
      {
        create: WAIT_FOR_WEBHOOK,
        interpreter: ["/bin/bash", "-c"],
        environment: {
          KUBECONFIG_DATA: pulumi.secret(args.kubeconfig),
          MANIFEST: JSON.stringify(poolObject),
          READY_TIMEOUT: String(WEBHOOK_READY_TIMEOUT_SECONDS),
        },
        addPreviousOutputInEnv: false,
        logging: "stderr",
      },
      { parent: this, dependsOn: [release] },
    );
    const pool = new k8s.apiextensions.CustomResource(`${name}-pool`, poolObject, { ...inCluster, dependsOn: [webhook] });
    const advertisement = new k8s.apiextensions.CustomResource(
      `${name}-l2`,
      {
        apiVersion: "metallb.io/v1beta1",
        kind: "L2Advertisement",
        metadata: { name: "platform", namespace: NAMESPACE },
        spec: { ipAddressPools: ["platform"] },
      },
      { ...inCluster, dependsOn: [pool] },
    );
    this.ready = [pool, advertisement];
    this.registerOutputs({});
  }
}

/** Native L2 speaker only: the FRR-K8s backend is for BGP, which a kind network does not need. */
export function metalLbValues(): Record<string, unknown> {
  return { frrk8s: { enabled: false } };
}
