import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DnsEntryArgs {
  /** The Route 53 hosted zone the apps' names are in. */
  zoneId: string;
  /** Each workload cluster's ingress gateway: its NLB's DNS name and the cluster's AWS region. */
  gateways: { cluster: string; region: string; address: pulumi.Input<string> }[];
  /** Each app's host name, and the clusters that run it (targets, then standbys). */
  apps: { host: string; clusters: readonly string[] }[];
  /** Any AWS provider of the fleet: Route 53 is global. */
  awsProvider: aws.Provider;
}

/** What Route 53 asks each gateway, and how often: three failures 10 s apart withdraw it. */
export const GATEWAY_HEALTH = { port: 15021, resourcePath: "/healthz/ready", requestInterval: 10, failureThreshold: 3 };

/**
 * An EKS fleet's one entry: DNS. Every cluster's ingress gateway gets a Route 53 health check
 * (the gateway's own readiness path on its status port); every app a latency record per cluster
 * that runs it, answered with that cluster's NLB while its check passes, so users go to the
 * nearest healthy region. The mesh behind the gateway moves calls to the app's other copies.
 */
export class DnsEntry extends pulumi.ComponentResource {
  constructor(name: string, args: DnsEntryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:index:DnsEntry", name, {}, opts);
    const inAws = { parent: this, provider: args.awsProvider };
    const checks = new Map(
      args.gateways.map((gateway) => [
        gateway.cluster,
        {
          gateway,
          check: new aws.route53.HealthCheck(
            `${name}-${gateway.cluster}-health`,
            { type: "HTTP", fqdn: gateway.address, ...GATEWAY_HEALTH, tags: { Name: `${gateway.cluster} ingress gateway` } },
            inAws,
          ),
        },
      ]),
    );
    for (const app of args.apps) {
      for (const cluster of app.clusters) {
        const entry = checks.get(cluster);
        if (!entry) throw new Error(`app ${app.host} runs on ${cluster}, which has no ingress gateway`);
        new aws.route53.Record(
          `${name}-${app.host}-${cluster}`,
          {
            zoneId: args.zoneId,
            name: app.host,
            type: "CNAME",
            // Short, so that a withdrawn record is forgotten soon.
            ttl: 60,
            records: [entry.gateway.address],
            setIdentifier: cluster,
            latencyRoutingPolicies: [{ region: entry.gateway.region }],
            healthCheckId: entry.check.id,
          },
          inAws,
        );
      }
    }
    this.registerOutputs({});
  }
}
