// The simulated fleet's cycle (npm run test:sim): one file, one worker, the engines tiers' settings.
const engines = require("../engines/jest.config.js");

/** @type {import('jest').Config} */
module.exports = { ...engines, roots: ["<rootDir>/test/sim"], testMatch: ["**/*.tier.ts"], testTimeout: 1_800_000 };
