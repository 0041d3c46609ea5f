import type { PlatformService } from "../cluster";
import type { PortMapping } from "./config";

/**
 * Node ports the platform reserves on kind clusters (the range is 30000-32767), for the services
 * other clusters or the host reach through a node: the Karmada API, the central Prometheus, and
 * Loki's and Tempo's receivers.
 */
const NODE_PORTS: Partial<Record<PlatformService, number>> = {
  "karmada-api": 32443,
  prometheus: 30090,
  loki: 31100,
  tempo: 30417,
};

/** The node port reserved for a service; a service without one cannot be reached through a node. */
export function nodePort(service: PlatformService): number {
  const port = NODE_PORTS[service];
  if (port === undefined) throw new Error(`kind reserves no node port for ${service} (components/kind/ports.ts)`);
  return port;
}

/** The kind config's port mappings for services reached from the host, by host port. */
export function portMappings(hostPorts: Partial<Record<PlatformService, number>>): PortMapping[] {
  return Object.entries(hostPorts).map(([service, hostPort]) => ({
    containerPort: nodePort(service as PlatformService),
    hostPort: hostPort!,
  }));
}
