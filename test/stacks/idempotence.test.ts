import { caseConfig, STACK_CASES } from "../support/graph";
import { plain, runProgram, TWO_EVALUATIONS } from "../support/harness";


// A second `pulumi up` changes nothing: evaluated again with what the providers answered the first
// time (as the engine would read it back from the state), every resource gets the very same inputs.
// A value made per run (a clock, a random number, an unsorted set) shows up here.
describe.each(STACK_CASES)("%s stack, %s mesh", (stack, mode) => {
  test("a second evaluation fed the first's outputs registers identical inputs", async () => {
    const program = async () => (await import("../../stacks")).composeStack();
    const config = caseConfig(stack, mode);
    const first = await runProgram({ stack, config, program });
    const second = await runProgram({
      stack,
      config,
      program,
      outputs: (args) => first.states.get(`${args.type}::${args.name}`),
    });
    const inputs = (run: typeof first) => new Map(run.resources.map((r) => [`${r.type}::${r.name}`, plain(r.inputs)]));
    const [a, b] = [inputs(first), inputs(second)];
    expect([...b.keys()]).toEqual([...a.keys()]);
    const changed = [...a].filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(b.get(key))).map(([key]) => key);
    expect(changed).toEqual([]);
  }, TWO_EVALUATIONS);
});
