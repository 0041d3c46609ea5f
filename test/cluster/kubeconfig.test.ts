import { buildKubeconfig } from "../../components/cluster";

test("the same inputs give byte-identical kubeconfigs, whatever order env vars come in", () => {
  const exec = (env: Record<string, string>) =>
    buildKubeconfig({
      name: "east",
      server: "https://example:443",
      caData: "Q0E=",
      user: { exec: { command: "aws", args: ["eks", "get-token", "--cluster-name", "east"], env } },
    });
  expect(exec({ B: "2", A: "1" })).toBe(exec({ A: "1", B: "2" }));
  expect(JSON.parse(exec({ B: "2", A: "1" })).users[0].user.exec.env).toEqual([
    { name: "A", value: "1" },
    { name: "B", value: "2" },
  ]);
});

test("a token user names one cluster, user and context", () => {
  expect(JSON.parse(buildKubeconfig({ name: "west", server: "https://w:6443", caData: "Q0E=", user: { token: "t" } }))).toEqual({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "west", cluster: { server: "https://w:6443", "certificate-authority-data": "Q0E=" } }],
    users: [{ name: "west", user: { token: "t" } }],
    contexts: [{ name: "west", context: { cluster: "west", user: "west" } }],
    "current-context": "west",
    preferences: {},
  });
});
