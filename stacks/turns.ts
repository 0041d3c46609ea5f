/**
 * Lets the engine take what the program has declared so far before it declares more. The SDK
 * keeps a registration's pending state (promises, closures, an Output per property) until the
 * engine answers, and answers are only handled between turns: a fleet declared in one turn holds
 * the pending state of every resource at once, one declared a cluster (or a phase) per turn only
 * that of one. Same resources, same dependencies; only the peak memory and the collector's work
 * change (docs/performance.md).
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
