import { flag, openStack } from "../stack-access";
import { runDrill } from "./drill";
import { client, DRILL_NAMESPACE, drillPolicyName, takeAway } from "./manifests";

/**
 * `npm run drill -- --app <name> --fail <cluster> [--stack <name>]`: takes the app's copy in one
 * cluster away, shows that calls from that cluster are answered by another and how long the
 * move took, then gives the copy back. Needs `pulumi` and `kubectl`; exits non-zero if calls do
 * not move or the copy does not come back.
 */
async function main(): Promise<number> {
  const [appName, failed] = [flag("app"), flag("fail")];
  if (!appName || !failed) throw new Error("usage: npm run drill -- --app <name> --fail <cluster> [--stack <name>]");
  const { outputs, kubectl } = await openStack("drill");
  const app = outputs.apps?.[appName];
  if (!app) throw new Error(`the stack places no app ${appName}: it has ${Object.keys(outputs.apps ?? {}).join(", ") || "none"}`);
  // Argo CD would put a copy scaled down by hand straight back (self-heal): its overlay is the lever.
  if (app.engine !== "karmada") {
    throw new Error(`${appName} is synced by Argo CD: set replicas 0 in its ${failed} overlay and run npm run gitops:push (docs/operations.md)`);
  }
  // A standby runs nothing until failover moves the app there: only a target can lose a copy.
  if (!app.targets.includes(failed)) throw new Error(`${appName} runs on ${app.targets.join(", ")}, not ${failed}`);
  const inCluster = (cluster: string, args: string[], input?: string) => kubectl(outputs.kubeconfigs[cluster], args, input);
  const inKarmada = (args: string[], input?: string) => kubectl(outputs.karmada.kubeconfig, args, input);
  const ok = async (result: Promise<{ code: number; stderr: string }>, what: string) => {
    const { code, stderr } = await result;
    if (code !== 0) throw new Error(`${what}: ${stderr.trim()}`);
  };

  const policy = JSON.stringify(takeAway(appName, failed));
  const giveBack = () => inKarmada(["delete", "--ignore-not-found", "-f", "-"], policy);
  // Interrupted mid-drill: give the copy back before leaving.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void giveBack().finally(() => process.exit(130)));
  }
  await ok(inCluster(failed, ["apply", "-f", "-"], client(outputs.mesh.mode).map((o) => JSON.stringify(o)).join("\n")), "creating the client");
  await ok(inCluster(failed, ["-n", DRILL_NAMESPACE, "rollout", "status", "deployment/client", "--timeout=300s"]), "waiting for the client");
  const url = `http://${app.host}:${app.port}/`;
  console.log(`Drill: ${appName} taken away from ${failed}; calling ${url} from ${failed}`);
  const result = await runDrill(
    {
      async call() {
        const r = await inCluster(failed, ["-n", DRILL_NAMESPACE, "exec", "deployment/client", "-c", "client", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2", url]);
        return r.code === 0 && /^2\d\d$/.test(r.stdout.trim());
      },
      async setFailed(down) {
        if (down) return ok(inKarmada(["apply", "-f", "-"], policy), "taking the copy away");
        const manual = `kubectl --kubeconfig <karmada> -n ${appName} delete overridepolicy ${drillPolicyName(appName)}`;
        await ok(giveBack(), `giving the copy back failed; run: ${manual}`);
      },
      async readyReplicas(cluster) {
        const r = await inCluster(cluster, ["-n", appName, "get", "deployment", appName, "--ignore-not-found", "-o", "jsonpath={.status.readyReplicas}"]);
        // An unanswered question is not a zero: it would count a copy as gone.
        if (r.code !== 0) throw new Error(`reading ${appName} in ${cluster}: ${r.stderr.trim()}`);
        return Number(r.stdout.trim() || 0);
      },
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
    { failed, survivors: app.targets.filter((c) => c !== failed) },
  ).finally(() => inCluster(failed, ["delete", "namespace", DRILL_NAMESPACE, "--ignore-not-found", "--wait=false"]));
  const seconds = (ms?: number) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(0)} s`);
  console.log(`copy gone after ${seconds(result.emptiedAfterMs)}; calls answered again after ${seconds(result.movedAfterMs)} (${result.failedCalls} failed); copy back: ${result.restored}`);
  console.log(result.ok ? "failover drill passed" : `failover drill failed: ${result.reason}`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(String(error instanceof Error ? error.message : error));
    process.exit(2);
  },
);
