import { readdirSync, readFileSync, statSync } from "fs";
import { join, relative } from "path";

// The structure the README's "How it is built" describes, held against the code.
const root = join(__dirname, "..");
const files = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (["node_modules", "dist", "bin"].includes(entry)) return [];
    return statSync(join(root, path)).isDirectory() ? files(path) : [path];
  });
const source = (dir: string) => files(dir).filter((f) => /\.(ts|js|mjs|sh)$/.test(f));
const read = (file: string) => readFileSync(join(root, file), "utf8");
/** The code of a file without its comments, where a rule's words may well appear. */
const code = (file: string) => read(file).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*(\/\/|#).*$/gm, "");

test("components/ is folders by concern, each with an index of its public pieces", () => {
  const entries = readdirSync(join(root, "components"));
  const folders = entries.filter((e) => statSync(join(root, "components", e)).isDirectory());
  expect(folders.sort()).toEqual(["cluster", "eks", "kind", "management", "mesh", "observability", "placement", "recovery", "teams"]);
  expect(entries.filter((e) => !folders.includes(e))).toEqual(["versions.ts"]);
  for (const folder of folders) expect(read(join("components", folder, "index.ts"))).toMatch(/^export /m);
});

test("only the kind and EKS implementations, the plan and the two compositions know which provider runs a cluster", () => {
  const allowed = /^(components\/(kind|eks)\/|plan\/|stacks\/(dev|prod)\.ts$)/;
  const branch = /\bprovider\s*[!=]==|spec\.provider\b|[!=]==\s*["'](kind|eks|nodePort|internalLoadBalancer)["']/;
  const reachesIn = /from "\.\.\/(\.\.\/)?(kind|eks)(\/[a-z-]+)?"/;
  const offenders = ["components", "stacks", "tools", "packages"]
    .flatMap(source)
    .filter((f) => !allowed.test(f))
    .filter((f) => branch.test(code(f)) || reachesIn.test(code(f)));
  expect(offenders).toEqual([]);
});

test("the output contract package depends on nothing of the program, so another repository can take it as it is", () => {
  const imports = source("packages/contract/src").flatMap((f) => [...code(f).matchAll(/from "([^"]+)"/g)].map((m) => m[1]));
  expect([...new Set(imports)].sort()).toEqual(["./outputs", "./reference", "./team", "./team-outputs", "./version", "@pulumi/pulumi"]);
  expect(code("packages/contract/src/outputs.ts")).not.toMatch(/^\s*(import|export .* from)\b|\brequire\(/m);
});

test("no source or test file is over about 250 lines", () => {
  const long = ["components", "plan", "stacks", "packages", "policy", "examples", "tools", "scripts", "test"]
    .flatMap(source)
    .filter((f) => !f.startsWith("test/fixtures/"))
    .map((f) => [relative(".", f), read(f).split("\n").length] as const)
    .filter(([, lines]) => lines > 260);
  expect(long).toEqual([]);
});
