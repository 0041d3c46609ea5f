import { composeStack } from "./stacks";

export type { ClusterOutput, FleetOutputs } from "./stacks/contract";

const outputs = composeStack();

/** Stack outputs: the contract in stacks/contract.ts. */
export const clusters = outputs.clusters;
export const kubeconfigs = outputs.kubeconfigs;
