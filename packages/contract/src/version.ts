/** This contract's version, read from its package.json: the one place it is kept. */
// package.json sits one folder above both src/ and dist/, outside tsc's rootDir, so it is required, not imported.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const CONTRACT_VERSION: string = (require("../package.json") as { version: string }).version;

/** The major of a `major.minor.patch` version. */
function major(version: string): number {
  const found = /^(\d+)\.\d+\.\d+/.exec(version);
  if (!found) throw new Error(`not a contract version: ${JSON.stringify(version)}`);
  return Number(found[1]);
}

/**
 * Refuses a fleet whose output contract has another major than `own` (this package's, by default):
 * a major renames or removes outputs, so what this program reads may not be there or may mean
 * something else. A fleet older than the `contractVersion` output (`undefined`) has the outputs of
 * 1.0.0 without it, and passes. Returns the fleet's version.
 */
export function assertCompatibleFleet(fleetVersion: string | undefined, own: string = CONTRACT_VERSION): string | undefined {
  if (fleetVersion === undefined || major(fleetVersion) === major(own)) return fleetVersion;
  throw new Error(
    `the fleet's output contract is ${fleetVersion} and this program's @platform/contract is ${own}: ` +
      `another major renames or removes outputs, so this program refuses the fleet; use @platform/contract@^${major(fleetVersion)}`,
  );
}
