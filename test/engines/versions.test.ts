import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import {
  ARGOCD_VERSION, EKS_KUBERNETES_VERSION, GATEWAY_API_VERSION, ISTIO_VERSION, KARMADA_VERSION, KIND_NODE_IMAGE, METALLB_CHART,
} from "../../components/versions";
import { versions } from "./support/engines";

// The real engines are built at the versions the platform deploys: a bump of one without the
// other would test something that is not deployed.
const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8"));

test("each stack's kube-apiserver is the Kubernetes its clusters run", () => {
  expect(`kindest/node:${versions.kubernetes.dev}`).toBe(KIND_NODE_IMAGE.split("@")[0]);
  expect(versions.kubernetes.prod).toMatch(new RegExp(`^v${EKS_KUBERNETES_VERSION.replace(".", "\\.")}\\.\\d+$`));
});

test("the simulated fleet runs the dev stack's Kubernetes, and Karmada a built kube-apiserver", () => {
  expect(`kindest/node:${versions.kubernetes[versions.sim.kubernetes]}`).toBe(KIND_NODE_IMAGE.split("@")[0]);
  expect(Object.keys(versions.kubernetes)).toContain(versions.sim.karmadaApiserver);
});

test("the CRDs come from the releases the platform installs", () => {
  const modules = versions.crdModules;
  expect(modules.istio.version).toBe(`v${ISTIO_VERSION}`);
  expect(modules.argocd.version).toBe(ARGOCD_VERSION);
  expect(modules.karmada.version).toBe(KARMADA_VERSION);
  expect(versions.karmada).toBe(KARMADA_VERSION);
  expect(modules.metallb.version).toBe(`v${METALLB_CHART.version}`);
  expect(modules.gatewayApi.version).toBe(GATEWAY_API_VERSION);
  // Velero's CRDs: the release whose schemas the offline suite holds Velero's objects to.
  const veleroFixtures = readdirSync(join(__dirname, "..", "fixtures", "crds")).filter((f) => f.startsWith("velero.io_"));
  expect(veleroFixtures.length).toBeGreaterThan(0);
  for (const fixture of veleroFixtures) expect(`v${fixture.split("@")[1].replace(/\.json$/, "")}`).toBe(modules.velero.version);
});

test("the providers (real or stood in for) are those the program's SDKs ask for", () => {
  expect(versions.kubernetesProvider.plugin).toBe(pkg.dependencies["@pulumi/kubernetes"]);
  expect(versions.standIns).toEqual({ command: pkg.dependencies["@pulumi/command"], random: pkg.dependencies["@pulumi/random"], tls: pkg.dependencies["@pulumi/tls"] });
});
