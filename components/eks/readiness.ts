import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { type Endpoint, requireTools, type ServiceRead } from "../cluster";

/** How long a new NLB may take to resolve and pass its health checks. */
export const NLB_READY_TIMEOUT_SECONDS = 600;

// An NLB's address is in the Service's status minutes before its DNS name resolves and its
// targets are healthy. Any HTTP answer proves both; 401/403 only say that credentials come later.
const WAIT = `${requireTools(["curl"])}
deadline=$((SECONDS + READY_TIMEOUT))
until code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "https://$HOST:$PORT$READY_PATH") && [[ "$code" =~ ^(200|401|403)$ ]]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "platform: https://$HOST:$PORT$READY_PATH did not answer within $READY_TIMEOUT s (last: \${code:-no connection}); the load balancer may still be provisioning: run pulumi up again" >&2
    exit 1
  fi
  sleep "\${POLL_SECONDS:-5}"
done
echo "$code"`;

/**
 * The endpoint, handed out only once `https://<endpoint><path>` answers from the host running
 * Pulumi: a Kubernetes provider built from an address that does not answer yet is marked
 * unreachable, and every create through it fails.
 */
export function answering(endpoint: pulumi.Output<Endpoint>, path: string, read: ServiceRead): pulumi.Output<Endpoint> {
  const ready = new command.local.Command(
    `${read.name}-ready`,
    {
      create: WAIT,
      update: WAIT,
      interpreter: ["/bin/bash", "-c"],
      environment: {
        HOST: endpoint.host,
        PORT: endpoint.port.apply(String),
        READY_PATH: path,
        READY_TIMEOUT: String(NLB_READY_TIMEOUT_SECONDS),
      },
      addPreviousOutputInEnv: false,
    },
    { parent: read.parent, dependsOn: [read.creator] },
  );
  return pulumi.all([endpoint, ready.stdout]).apply(([e]) => e);
}
