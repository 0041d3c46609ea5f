/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without type-checking: `npm run typecheck` does that once, separately.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  testTimeout: 60000,
  // @pulumi/pulumi keeps its runtime state on the global object between a file's tests.
  testEnvironmentOptions: { globalsCleanup: "off" },
};
