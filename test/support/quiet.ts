/**
 * Runs `work` with stack traces off. @pulumi/pulumi records a stack trace for every promise it
 * makes (for its leak report), and under jest each one is source-mapped: most of an evaluation's
 * time. Errors keep their messages; `runProgram` (harness.ts) does the same around its program.
 */
export async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await work();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
