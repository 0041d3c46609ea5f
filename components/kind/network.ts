import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { requireTools } from "../cluster";

export interface KindNetworkArgs {
  /** IPv4 subnet the docker network `kind` must have (config `network.kindNetworkCidr`). */
  cidr: string;
}

// kind reuses an existing `kind` network whatever its subnet, so creating it first is how the
// plan's subnet becomes the real one; an existing network with another subnet is refused.
const ENSURE = `${requireTools(["docker"])}
if docker network inspect kind >/dev/null 2>&1; then
  actual=$(docker network inspect kind --format '{{range .IPAM.Config}}{{println .Subnet}}{{end}}' | grep -v ':' | head -n 1 || true)
  if [ "$actual" != "$KIND_NETWORK_CIDR" ]; then
    echo "platform: the docker network 'kind' has subnet \${actual:-none}, but platform:network.kindNetworkCidr is $KIND_NETWORK_CIDR: set kindNetworkCidr (and the lb pool inside it) to match, or remove the network once no kind cluster uses it" >&2
    exit 1
  fi
else
  docker network create --driver bridge --subnet "$KIND_NETWORK_CIDR" \\
    --opt com.docker.network.bridge.enable_ip_masquerade=true kind >/dev/null
fi
echo "$KIND_NETWORK_CIDR"`;

/**
 * The docker network `kind` that every kind node joins, pinned to the plan's subnet so that the
 * load-balancer pools carved from it are real. It is shared with kind clusters outside this
 * stack, so destroy leaves it in place.
 */
export class KindNetwork extends pulumi.ComponentResource {
  /** The check (or creation) of the network: what kind clusters are created after. */
  readonly ensured: command.local.Command;
  /** The docker network's name. */
  readonly dockerNetwork = "kind";

  constructor(name: string, args: KindNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:KindNetwork", name, {}, opts);
    this.ensured = new command.local.Command(
      `${name}-ensure`,
      {
        create: ENSURE,
        update: ENSURE,
        interpreter: ["/bin/bash", "-c"],
        environment: { KIND_NETWORK_CIDR: args.cidr },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
