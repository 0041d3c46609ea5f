// The real-engine tiers (npm run test:api, npm run test:engine): the offline suite's transforms,
// one file at a time (each starts servers or the Pulumi engine), generous timeouts.
const base = require("../../jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: "../..",
  roots: ["<rootDir>/test/engines"],
  testMatch: ["**/*.tier.ts"],
  testTimeout: 900000,
  maxWorkers: 1,
};
