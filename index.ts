import * as pulumi from "@pulumi/pulumi";
import { composeStack } from "./stacks";
import type { StackOutputs } from "./stacks/outputs";

export type { ClusterOutput, FleetOutputs } from "./packages/contract/src";

// Declared over several turns (stacks/turns.ts): the outputs come once all is declared, each
// secret or not as the composition made it.
const outputs = composeStack();
const exported = <K extends keyof StackOutputs>(key: K) => pulumi.output(outputs.then((o) => o[key]));

/** Stack outputs: the contract in contract/index.ts. */
export const contractVersion = exported("contractVersion");
export const clusters = exported("clusters");
export const kubeconfigs = exported("kubeconfigs");
export const karmada = exported("karmada");
export const argocd = exported("argocd");
export const grafana = exported("grafana");
export const prometheus = exported("prometheus");
export const mesh = exported("mesh");
export const apps = exported("apps");
export const observability = exported("observability");
/** Per team, its kubeconfigs and Argo CD project (secret): docs/teams.md. */
export const teams = exported("teams");
