import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { destroyStep, KUBECTL_FROM_ENV } from "../cluster";

/**
 * The kinds on which Velero 1.18 puts a finalizer that only its own pods remove, and those
 * finalizers. A Restore gets `restores.velero.io/external-resources-finalizer` from the server
 * as soon as it is seen, and keeps it until it is deleted (pkg/controller/restore_controller.go:
 * 188-216). The node agent holds `velero.io/pod-volume-finalizer` on PodVolumeBackups and
 * -Restores, and `velero.io/data-upload-download-finalizer` on DataUploads and -Downloads, while
 * they run (pod_volume_backup_controller.go:145-200 and its siblings). Backups, Schedules,
 * BackupRepositories and DeleteBackupRequests carry none.
 */
export const VELERO_FINALIZERS = {
  kinds: ["restores.velero.io", "podvolumebackups.velero.io", "podvolumerestores.velero.io", "datauploads.velero.io", "datadownloads.velero.io"],
  finalizers: ["restores.velero.io/external-resources-finalizer", "velero.io/pod-volume-finalizer", "velero.io/data-upload-download-finalizer"],
} as const;

/**
 * How long Velero may take to finalize what is deleted (a Restore: deleting its logs and results
 * in the backup store) before its finalizers are removed instead. `velero uninstall` waits one
 * minute, then does the same (pkg/cmd/cli/uninstall/uninstall.go:54).
 */
export const FINALIZE_TIMEOUT_SECONDS = 60;

// Deleted before the Velero release: what holds a Velero finalizer would otherwise keep the
// namespace terminating forever once the server is gone. An API that does not answer fails the
// destroy, unless the operator said the cluster is gone (the switch the Kubernetes provider
// honours): then nothing is left to hold.
const CLEAN_UP = `${KUBECTL_FROM_ENV}
# Reachability from /version, which no aggregated API can spoil; api-resources exits non-zero when
# any APIService is unavailable (common in a teardown), yet still lists what it found.
if ! k get --raw /version >/dev/null 2>"$scratch/err"; then
  if [ "\${PULUMI_K8S_DELETE_UNREACHABLE:-}" = true ]; then
    echo "platform: cluster $CLUSTER does not answer; PULUMI_K8S_DELETE_UNREACHABLE=true, so Velero's objects are left to go with it" >&2
    exit 0
  fi
  echo "platform: cannot reach cluster $CLUSTER to delete Velero's restores before Velero itself: $(cat "$scratch/err"). If the cluster is gone, run the destroy with PULUMI_K8S_DELETE_UNREACHABLE=true" >&2
  exit 1
fi
served=$(k api-resources --api-group=velero.io -o name 2>/dev/null || true)
kinds=""
for kind in $KINDS; do
  grep -qxF "$kind" <<<"$served" && kinds="$kinds,$kind"
done
kinds=\${kinds#,}
[ -n "$kinds" ] || exit 0
gone_within() {
  local deadline=$((SECONDS + $1))
  while :; do
    left=$(k get "$kinds" -n "$NAMESPACE" -o name)
    [ -z "$left" ] && return 0
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep "\${POLL_SECONDS:-2}"
  done
}
k delete "$kinds" -n "$NAMESPACE" --all --wait=false >/dev/null
gone_within "$FINALIZE_TIMEOUT" && exit 0
echo "platform: Velero did not finalize $(tr '\\n' ' ' <<<"$left")within $FINALIZE_TIMEOUT s; removing its finalizers (a restore's logs stay in the backup store)" >&2
for object in $left; do
  keep=""
  for finalizer in $(k get "$object" -n "$NAMESPACE" -o 'jsonpath={.metadata.finalizers[*]}'); do
    case " $FINALIZERS " in *" $finalizer "*) ;; *) keep="$keep,\\"$finalizer\\"" ;; esac
  done
  k patch "$object" -n "$NAMESPACE" --type=merge -p "{\\"metadata\\":{\\"finalizers\\":[\${keep#,}]}}" >/dev/null
done
gone_within "\${REMOVED_TIMEOUT:-10}" && exit 0
echo "platform: $(tr '\\n' ' ' <<<"$left")still in namespace $NAMESPACE of cluster $CLUSTER, held by finalizers not Velero's; remove them, then run pulumi destroy again" >&2
exit 1`;

export interface VeleroFinalizersArgs {
  /** The cluster's name, for messages. */
  cluster: string;
  /** The cluster's admin kubeconfig for the host running Pulumi (secret). */
  kubeconfig: pulumi.Input<string>;
  /** Velero's namespace. */
  namespace: string;
}

/**
 * A destroy-time step between the Velero release and what Velero made: it depends on the
 * release, so Pulumi deletes it first, while the server and node agent still run. It deletes
 * every object of `VELERO_FINALIZERS.kinds` in Velero's namespace and waits (bounded) for Velero
 * to finalize them, then removes Velero's finalizers from what is left, as `velero uninstall` does.
 */
export function veleroFinalizers(name: string, args: VeleroFinalizersArgs, opts: pulumi.CustomResourceOptions): command.local.Command {
  return destroyStep(
    name,
    CLEAN_UP,
    {
      KUBECONFIG_DATA: pulumi.secret(args.kubeconfig),
      CLUSTER: args.cluster,
      NAMESPACE: args.namespace,
      KINDS: VELERO_FINALIZERS.kinds.join(" "),
      FINALIZERS: VELERO_FINALIZERS.finalizers.join(" "),
      FINALIZE_TIMEOUT: String(FINALIZE_TIMEOUT_SECONDS),
    },
    opts,
    "stderr",
  );
}
