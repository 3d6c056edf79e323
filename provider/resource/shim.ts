// The serialized dynamic provider. Pulumi serializes the provider object of every dynamic resource into its
// state (`__provider`, twice per resource), and the dynamic-provider host rebuilds it with
// `requireFromString(text).handler()` in the project directory. So this object is deliberately tiny and holds
// nothing but code: each method loads the real implementation (dynamicProvider.ts) at run time and forwards
// to it. The text it serializes to contains no client, no configuration, no secret and no absolute path, and
// it does not change between versions of this package, so upgrading never shows a diff in state.
//
// Everything the functions below use must be a global (`require`, `process`, `globalThis`, `Symbol`): the
// closure serializer copies their source text, and comments inside their bodies would be copied too.
import type * as pulumi from "@pulumi/pulumi";

/**
 * Loads the provider implementation once per process: from the installed `pulumi-plume` package first, else
 * from this repository's TypeScript sources found from the working directory upwards (with ts-node registered
 * in transpile-only mode, since the provider host does not register it).
 */
function loadPlumeProvider(): pulumi.dynamic.ResourceProvider {
  const key = Symbol.for("pulumi-plume.dynamicProvider");
  const cache = globalThis as unknown as Record<symbol, pulumi.dynamic.ResourceProvider | undefined>;
  if (!cache[key]) {
    let implementation;
    try {
      implementation = require("pulumi-plume/dynamic-provider");
    } catch (error) {
      if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
      const path = require("path");
      for (let dir = process.cwd(); !implementation; dir = path.dirname(dir)) {
        const file = path.join(dir, "provider", "resource", "dynamicProvider.ts");
        if (require("fs").existsSync(file)) {
          if (!require.extensions[".ts"]) require("ts-node").register({ transpileOnly: true });
          implementation = require(file);
        } else if (dir === path.dirname(dir)) {
          throw new Error(
            "pulumi-plume: cannot load the provider; run `npm install pulumi-plume` in the project",
            {
              cause: error,
            },
          );
        }
      }
    }
    cache[key] = implementation.plumeDynamicProvider;
  }
  return cache[key]!;
}

/**
 * The provider object handed to `pulumi.dynamic.Resource`: one forwarding function per operation.
 */
export const plumeProviderShim: pulumi.dynamic.ResourceProvider = {
  configure: (req) => loadPlumeProvider().configure!(req),
  check: (olds, news) => loadPlumeProvider().check!(olds, news),
  diff: (id, olds, news) => loadPlumeProvider().diff!(id, olds, news),
  create: (inputs) => loadPlumeProvider().create(inputs),
  read: (id, props) => loadPlumeProvider().read!(id, props),
  update: (id, olds, news) => loadPlumeProvider().update!(id, olds, news),
  delete: (id, props) => loadPlumeProvider().delete!(id, props),
};
