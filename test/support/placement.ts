import { Karmada } from "../../components/management";
import { PlacedApp } from "../../components/placement";
import type { KarmadaAppPlan } from "../../plan";
import { fakeCluster, type Recorded, runProgram } from "./harness";

/**
 * Karmada on a fake management cluster (`hub`, its API provider `k-api`) with `west` and `east`
 * as members and callers, and each app placed through it as `app-<name>` under
 * `apps.<domain>`: what the placement tests read.
 */
export async function placeThroughKarmada(apps: { app: KarmadaAppPlan; meshMode: "sidecar" | "ambient" }[]): Promise<Recorded[]> {
  const run = await runProgram({
    stack: "dev",
    program: () => {
      const members = [fakeCluster("west"), fakeCluster("east")];
      const karmada = new Karmada("k", { host: fakeCluster("hub", { role: "management" }), members });
      const api = { templateOptions: karmada.templateOptions, provider: karmada.provider, ready: karmada.members };
      for (const { app, meshMode } of apps) {
        new PlacedApp(`app-${app.name}`, { app, meshMode, karmada: api, callers: members, domain: "apps.example" });
      }
    },
  });
  return run.resources;
}
