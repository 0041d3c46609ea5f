const { ESM_PACKAGES } = require("./test/support/resolver.js");

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without type-checking: `npm run typecheck` does that once, separately.
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }],
    // kubernetes-models ships ES modules only; jest's module system needs CommonJS.
    "^.+\\.js$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
  },
  resolver: "<rootDir>/test/support/resolver.js",
  // The contract package as its sources, for speed: `npm run test:contract` compiles consumers against
  // the packed package, whose declarations its prepack builds from these sources.
  moduleNameMapper: { "^@platform/contract$": "<rootDir>/packages/contract/src/index.ts" },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join("|")})/)`],
  testTimeout: 60000,
  // The suites are mostly waiting on mocked RPCs: one worker per core (jest defaults to one fewer).
  maxWorkers: "100%",
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
  // @pulumi/pulumi keeps its runtime state on the global object between a file's tests.
  testEnvironmentOptions: { globalsCleanup: "off" },
};
