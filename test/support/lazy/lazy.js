// A package that loads when first used: its exports stand behind a proxy that requires the real
// package on the first property access. `__esModule` answers without loading, so TypeScript's
// CommonJS interop (`__importStar`) keeps the proxy as it is instead of copying every export.
module.exports = (path) => {
  let real;
  const target = () => (real ??= require(path));
  return new Proxy(
    {},
    {
      get: (_, key) => (key === "__esModule" ? true : target()[key]),
      has: (_, key) => key in target(),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
};
