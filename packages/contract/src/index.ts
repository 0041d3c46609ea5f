/**
 * @platform/contract: the outputs of a fleet stack, typed, and a helper that reads them from a
 * StackReference. Depends on nothing of the platform program.
 */
export type { AppOutput, ArgoCdAppOutput, ClusterOutput, ClusterProvider, ClusterRole, FleetOutputs, KarmadaAppOutput, MeshClusterOutput, MeshMode, ReaderOutput } from "./outputs";
export { type Fleet, type FleetReference, fleetStackName, readFleet, workloadClusters } from "./reference";
export { readTeamStack, type TeamStack, teamStackName } from "./team";
export { TEAM_PUBLIC_OUTPUTS, TEAM_SECRET_OUTPUTS, type TeamStackOutputs } from "./team-outputs";
export { assertCompatibleFleet, CONTRACT_VERSION } from "./version";
