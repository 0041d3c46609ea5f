import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { requireTools } from "../cluster";
import { ENTRY_PROXY_IMAGE } from "../versions";

export interface WorkstationEntryArgs {
  /** Its Docker container's name (one per fleet on the workstation). */
  containerName: string;
  /** The port it listens on, on 127.0.0.1. */
  hostPort: number;
  /** The workstation's Docker network the kind nodes (and the gateways' addresses) are on. */
  network: string;
  /** Every workload cluster's ingress gateway address (port 80) on that network. */
  gateways: pulumi.Input<string>[];
  /** What must exist first: that network. */
  dependsOn: pulumi.Resource[];
}

/** Where the proxy listens inside its container. */
const LISTEN_PORT = 8080;

/**
 * The kind fleet's one entry: an nginx container on the `kind` network, published on 127.0.0.1,
 * that sends each request to a workload cluster's ingress gateway and, when one cannot be reached
 * or does not answer in time, to the next. Reached as `http://<app>.localhost:<port>`
 * (`*.localhost` is the loopback) from macOS, Windows and Linux alike: the gateways' own
 * addresses live on Docker's network, which only Linux hosts route to.
 */
export class WorkstationEntry extends pulumi.ComponentResource {
  readonly url: (host: string) => string;

  constructor(name: string, args: WorkstationEntryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:WorkstationEntry", name, {}, opts);
    const config = pulumi.all(args.gateways).apply(entryProxyConfig);
    const container = args.containerName;
    new command.local.Command(
      `${name}-proxy`,
      {
        // Re-created whenever the gateways move: the whole config is in its environment.
        create: [
          requireTools(["docker"]),
          `docker rm -f ${container} >/dev/null 2>&1 || true`,
          `docker run -d --name ${container} --network ${args.network} --restart unless-stopped ` +
            `-p 127.0.0.1:${args.hostPort}:${LISTEN_PORT} -e ENTRY_CONFIG ${ENTRY_PROXY_IMAGE} ` +
            `sh -c 'printf "%s" "$ENTRY_CONFIG" > /etc/nginx/conf.d/default.conf && exec nginx -g "daemon off;"'`,
        ].join("\n"),
        delete: `docker rm -f ${container} >/dev/null 2>&1 || true`,
        interpreter: ["/bin/bash", "-c"],
        environment: { ENTRY_CONFIG: config },
        addPreviousOutputInEnv: false,
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.url = (host) => `http://${host}:${args.hostPort}`;
    this.registerOutputs({});
  }
}

/**
 * nginx's config: every gateway an upstream that is left alone for 10 s after it cannot be
 * reached or times out, the request retried on the next. An HTTP error is the app's answer, not
 * the gateway's failure: the gateway's mesh already sent it to any healthy copy (and counting it
 * would mark every gateway down for every app). The Host header is the app's name.
 */
export function entryProxyConfig(gateways: string[]): string {
  return [
    "upstream fleet {",
    ...gateways.map((address) => `    server ${address}:80 max_fails=1 fail_timeout=10s;`),
    "}",
    "server {",
    `    listen ${LISTEN_PORT};`,
    "    location / {",
    "        proxy_pass http://fleet;",
    "        proxy_set_header Host $host;",
    "        proxy_connect_timeout 2s;",
    "        proxy_next_upstream error timeout;",
    "    }",
    "}",
    "",
  ].join("\n");
}
