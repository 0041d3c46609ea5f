// kubernetes-models and two of its dependencies publish ES modules only: resolve them with the
// `import` condition (swc then turns them into CommonJS, see jest.config.js).
const ESM_PACKAGES = ["kubernetes-models", "@kubernetes-models", "is-cidr", "cidr-regex"];
const ESM_REQUEST = new RegExp(`^(${ESM_PACKAGES.join("|")})(/|$)`);

module.exports = (request, options) =>
  options.defaultResolver(request, ESM_REQUEST.test(request) ? { ...options, conditions: ["import", "default"] } : options);
module.exports.ESM_PACKAGES = ESM_PACKAGES;
