import type { StackValidationPolicy } from "@pulumi/policy";
import * as policyServer from "@pulumi/policy/server";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { stringify } from "yaml";
import { stackPolicies } from "../../policy/policies";

// The stack policies as the CLI runs them in a stack's first preview: through @pulumi/policy's own
// analyzeStack handler, fed the engine's wire format, where every output nobody knows yet is the
// unknown sentinel. A policy that reads one is downgraded to advisory by the handler itself.
type Wire = { type: string; name: string; props: Record<string, unknown>; provider?: string };
type Rpc = (call: { request: analyzer.AnalyzeStackRequest }, done: (err: unknown, resp?: analyzer.AnalyzeResponse) => void) => void;
const { makeAnalyzeStackRpcFun } = policyServer as unknown as { makeAnalyzeStackRpcFun: (pack: string, version: string, level: string, policies: StackValidationPolicy[]) => Rpc };

const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });
const urn = (type: string, name: string) => `urn:pulumi:dev::platform::${type}::${name}`;

function request(resources: Wire[]): analyzer.AnalyzeStackRequest {
  const req = new analyzer.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((w) => {
      const r = new analyzer.AnalyzerResource();
      r.setType(w.type).setName(w.name).setUrn(urn(w.type, w.name)).setProperties(Struct.fromJavaScript(w.props as never));
      r.setOptions(new analyzer.AnalyzerResourceOptions());
      if (w.provider) r.setProvider(new analyzer.AnalyzerProviderResource().setType("pulumi:providers:kubernetes").setName(w.provider).setUrn(w.provider).setProperties(new Struct()));
      return r;
    }),
  );
  return req;
}

/** Every diagnostic of the pack, as `<policy> <ADVISORY|MANDATORY>: <message>`. */
async function analyze(resources: Wire[]): Promise<string[]> {
  const rpc = makeAnalyzeStackRpcFun("platform", "0.1.0", "advisory", stackPolicies);
  const resp = await new Promise<analyzer.AnalyzeResponse>((resolve, reject) => rpc({ request: request(resources) }, (err, r) => (err ? reject(err) : resolve(r!))));
  const level = (l: number) => Object.entries(analyzer.EnforcementLevel).find(([, v]) => v === l)?.[0];
  return resp.getDiagnosticsList().map((d) => `${d.getPolicyname()} ${level(d.getEnforcementlevel())}: ${d.getMessage().split("\n").pop()}`);
}

const kindConfig = (pod: string, service: string) => stringify({ networking: { podSubnet: pod, serviceSubnet: service }, nodes: [{ image: "kindest/node:v1.36.1@sha256:abc" }] });
const cluster = (name: string, pod: string, service: string): Wire => ({
  type: "command:local:Command",
  name,
  props: { create: "kind create cluster", environment: { KIND_CONFIG: kindConfig(pod, service) }, stdout: unknownValue },
});
const mesh = (provider: string): Wire[] => [
  { type: "kubernetes:helm.sh/v3:Release", name: `${provider}-istiod`, props: { chart: "istiod", status: unknownValue }, provider },
  {
    type: "kubernetes:security.istio.io/v1:PeerAuthentication",
    name: `${provider}-strict`,
    props: { metadata: { namespace: "istio-system", uid: unknownValue }, spec: { mtls: { mode: "STRICT" } } },
    provider,
  },
];
/** A first preview: the stack's outputs exist, their values mostly unknown, secret ones included. */
const stack = (outputs: Record<string, unknown>): Wire => ({
  type: "pulumi:pulumi:Stack",
  name: "platform-dev",
  props: {
    kubeconfigs: secret(unknownValue),
    grafana: secret({ password: unknownValue }),
    readers: secret({ loki: { url: unknownValue, username: "loki-reader", password: unknownValue } }),
    // The teams' kubeconfigs: a kind team's carries its token.
    teams: secret({ shop: { kubeconfigs: { west: unknownValue }, karmadaKubeconfig: '{"users":[{"user":{"token":"abc"}}]}', argocdProject: "shop" } }),
    clusters: { west: { endpoint: unknownValue } },
    ...outputs,
  },
});
const firstPreview = [
  cluster("west", "10.65.0.0/16", "10.96.16.0/20"),
  cluster("east", "10.66.0.0/16", "10.96.32.0/20"),
  { type: "aws:eks/cluster:Cluster", name: "eks", props: { version: "1.36", kubernetesNetworkConfig: unknownValue } },
  ...mesh("west-k8s"),
  stack({}),
];

test("a first preview, its outputs unknown, runs every stack policy: none is downgraded to advisory", async () => {
  expect(await analyze(firstPreview)).toEqual([]);
});

test("what a first preview knows still fails it: violations stay mandatory beside unknown values", async () => {
  const broken = [
    ...firstPreview.filter((w) => w.name !== "platform-dev" && w.name !== "west-k8s-strict"),
    cluster("north", "10.65.128.0/17", "10.96.48.0/20"),
    stack({ endpoints: { west: "https://127.0.0.1:6443", token: "abc", east: unknownValue } }),
  ];
  expect(await analyze(broken)).toEqual([
    "no-overlapping-ranges MANDATORY: north pod subnet 10.65.128.0/17 overlaps west pod subnet 10.65.0.0/16",
    "mesh-strict-mtls MANDATORY: west-k8s-istiod: its cluster has no mesh-wide STRICT PeerAuthentication",
    "no-plain-credentials MANDATORY: stack output endpoints holds a credential",
  ]);
});
