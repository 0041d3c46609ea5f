/** What the drill needs of a running fleet (kubectl in the CLI, a fake in tests). */
export interface DrillFleet {
  /** One call to the app from the client; true when it is answered with a 2xx. */
  call(): Promise<boolean>;
  /** Takes the app's copy in the failed cluster away (true), or gives it back (false). */
  setFailed(failed: boolean): Promise<void>;
  /** The app's ready replicas in a cluster (0 when it has none there). */
  readyReplicas(cluster: string): Promise<number>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface DrillOptions {
  /** The cluster whose copy is taken away; the client calls from it, so calls must cross. */
  failed: string;
  /** The other clusters running the app. */
  survivors: readonly string[];
  /** Bound on each wait (emptying, moving, restoring). Default 180 s. */
  timeoutMs?: number;
  /** Between two calls or two polls. Default 1 s. */
  intervalMs?: number;
  /** Consecutive answered calls that count as "calls work". Default 5. */
  streak?: number;
}

export interface DrillResult {
  ok: boolean;
  /** Why the drill failed, when it did. */
  reason?: string;
  /** From taking the copy away until it was gone. */
  emptiedAfterMs?: number;
  /** From the copy being gone until calls were answered again (by a survivor, the only copy left). */
  movedAfterMs?: number;
  /** Calls that failed between the copy being gone and the calls working again. */
  failedCalls: number;
  restored: boolean;
}

/**
 * The failover drill: calls work; the failed cluster's copy is taken away; once it is gone,
 * calls from that very cluster must be answered again within the bound (only a survivor can
 * answer them); then the copy is given back and must be as ready as before. The copy is given
 * back whatever happens in between.
 */
export async function runDrill(fleet: DrillFleet, options: DrillOptions): Promise<DrillResult> {
  const timeout = options.timeoutMs ?? 180_000;
  const interval = options.intervalMs ?? 1_000;
  const streak = options.streak ?? 5;
  let failedCalls = 0;

  /** Polls `check` until true or the bound; returns the time it took, or undefined. */
  const until = async (check: () => Promise<boolean>): Promise<number | undefined> => {
    const start = fleet.now();
    while (fleet.now() - start <= timeout) {
      if (await check()) return fleet.now() - start;
      await fleet.sleep(interval);
    }
    return undefined;
  };
  /**
   * Calls until `streak` in a row are answered, counting failed calls; returns the time until the
   * first call of that streak (calls take time: the streak's length is not the outage).
   */
  const callsWork = async (): Promise<number | undefined> => {
    const start = fleet.now();
    let run = 0;
    let streakStart = start;
    const done = await until(async () => {
      const calledAt = fleet.now();
      const answered = await fleet.call();
      if (!answered) failedCalls++;
      if (answered && run === 0) streakStart = calledAt;
      run = answered ? run + 1 : 0;
      return run >= streak;
    });
    return done === undefined ? undefined : streakStart - start;
  };

  if ((await callsWork()) === undefined || failedCalls > 0) {
    return { ok: false, reason: "the app did not answer steadily before the drill", failedCalls, restored: true };
  }
  const before = await fleet.readyReplicas(options.failed);
  if (before === 0) return { ok: false, reason: `${options.failed} runs no ready copy to take away`, failedCalls, restored: true };
  const spare = await Promise.all(options.survivors.map((c) => fleet.readyReplicas(c)));
  if (!spare.some((n) => n > 0)) return { ok: false, reason: "no other cluster runs a ready copy: nowhere to fail over to", failedCalls, restored: true };

  await fleet.setFailed(true);
  let result: DrillResult;
  try {
    const emptiedAfterMs = await until(async () => (await fleet.readyReplicas(options.failed)) === 0);
    if (emptiedAfterMs === undefined) {
      result = { ok: false, reason: `the copy in ${options.failed} was not taken away in time`, failedCalls, restored: false };
    } else {
      const movedAfterMs = await callsWork();
      result =
        movedAfterMs === undefined
          ? { ok: false, reason: `calls from ${options.failed} were not answered by another cluster in time`, emptiedAfterMs, failedCalls, restored: false }
          : { ok: true, emptiedAfterMs, movedAfterMs, failedCalls, restored: false };
    }
  } finally {
    await fleet.setFailed(false);
  }
  const restored = (await until(async () => (await fleet.readyReplicas(options.failed)) >= before)) !== undefined;
  return { ...result, restored, ok: result.ok && restored, ...(result.ok && !restored ? { reason: `the copy in ${options.failed} did not come back in time` } : {}) };
}
