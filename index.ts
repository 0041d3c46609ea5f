import { composeStack } from "./stacks";

export type { ClusterOutput, FleetOutputs } from "./packages/contract/src";

const outputs = composeStack();

/** Stack outputs: the contract in contract/index.ts. */
export const contractVersion = outputs.contractVersion;
export const clusters = outputs.clusters;
export const kubeconfigs = outputs.kubeconfigs;
export const karmada = outputs.karmada;
export const argocd = outputs.argocd;
export const grafana = outputs.grafana;
export const prometheus = outputs.prometheus;
export const mesh = outputs.mesh;
export const apps = outputs.apps;
export const observability = outputs.observability;
/** Per team, its kubeconfigs and Argo CD project (secret): docs/teams.md. */
export const teams = outputs.teams;
