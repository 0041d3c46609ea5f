const { sep } = require("path");

// kubernetes-models and two of its dependencies publish ES modules only: resolve them with the
// `import` condition (swc then turns them into CommonJS, see jest.config.js).
const ESM_PACKAGES = ["kubernetes-models", "@kubernetes-models", "is-cidr", "cidr-regex"];
const ESM_REQUEST = new RegExp(`^(${ESM_PACKAGES.join("|")})(/|$)`);

// @pulumi/pulumi requires two large packages as it loads that only its function serializer and
// its provider analyzer use, never the programs or tests here: npm's @npmcli/arborist (with its
// dependencies, some 800 modules) and the TypeScript compiler (9 MB). Jest loads every module
// anew for each test file, so they cost every file that loads the SDK about 0.7 s of CPU.
// The SDK gets them behind a proxy that loads the real package when first used (test/support/lazy).
const LAZY = { "@npmcli/arborist": require.resolve("./lazy/arborist.js"), typescript: require.resolve("./lazy/typescript.js") };
const SDK = `${sep}node_modules${sep}@pulumi${sep}pulumi${sep}`;

module.exports = (request, options) => {
  if (LAZY[request] && (options.basedir + sep).includes(SDK)) return LAZY[request];
  return options.defaultResolver(request, ESM_REQUEST.test(request) ? { ...options, conditions: ["import", "default"] } : options);
};
module.exports.ESM_PACKAGES = ESM_PACKAGES;
