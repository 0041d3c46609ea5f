/**
 * KWOK's own Stage files (its module's kustomize/stage, at the pinned release), copied into the
 * fleet's state: nodes are initialized Ready and keep a heartbeat, pods become Running and Ready
 * at once, Job pods Succeeded, deleted pods go. One change: pods of the Jobs the simulation runs
 * itself (job-effects.ts) are left Running, so that their Job completes only once the effect is done.
 */
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { parse, stringify } from "yaml";

/** Writes KWOK's `stages` files into `dir`, holding the pods of `heldJobs`; returns the files for kwok's `--config`. */
export function writeStages(stages: string[], dir: string, heldJobs: string[]): string[] {
  mkdirSync(dir, { recursive: true });
  return stages.map((file) => {
    const stage = parse(readFileSync(file, "utf8"));
    if (stage.metadata.name === "pod-complete") {
      stage.spec.selector.matchExpressions.push({ key: '.metadata.labels["job-name"]', operator: "NotIn", values: heldJobs });
    }
    const out = join(dir, `${stage.metadata.name}.yaml`);
    writeFileSync(out, stringify(stage));
    return out;
  });
}
