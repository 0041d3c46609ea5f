/** One thing wrong with a plan, tied to the config key a user must change. */
export interface Problem {
  /** Config key, e.g. `clusters[2].podCidr` or `network.pools.pod`. */
  readonly key: string;
  /** Full sentence, starting with the key. */
  readonly message: string;
}

/** Every problem of a plan at once, so a user fixes them in one go. */
export class PlanError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `The fleet plan is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.message}`).join("\n"),
    );
    this.name = "PlanError";
  }
}
