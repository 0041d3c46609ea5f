import { readFileSync } from "fs";
import { join } from "path";
import { caseConfig, recordGraph, STACK_CASES } from "../support/graph";

// Every URN a running fleet holds, recorded per stack and mesh mode (test/fixtures/urns: first
// before the layout change of components/, then with each capability added since). A URN that is no longer produced, nor answered to by an alias,
// would make `pulumi up` replace what users run: add an alias, or change the fixture on purpose.
describe.each(STACK_CASES)("%s stack, %s mesh", (stack, mode) => {
  test("every recorded URN is still produced, or answered to by an alias", async () => {
    const recorded = readFileSync(join(__dirname, "..", "fixtures", "urns", `${stack}-${mode}.txt`), "utf8").trim().split("\n");
    const graph = await recordGraph(stack, caseConfig(stack, mode));
    const answered = new Set(graph.flatMap((node) => [node.urn, ...node.aliases]));
    expect(recorded.filter((urn) => !answered.has(urn))).toEqual([]);
    // A name or parent alias the program gives that matches nothing recorded is a typo waiting to
    // replace something (the Kubernetes SDK's own aliases to older API versions are not the program's).
    const typeOf = (urn: string) => urn.split("::")[2].split("$").pop();
    const stale = graph
      .flatMap((node) => node.ownAliases.filter((alias) => typeOf(alias) === typeOf(node.urn)))
      .filter((alias) => !recorded.includes(alias));
    expect(stale).toEqual([]);
  });
});
