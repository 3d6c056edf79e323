// The serialized dynamic provider. Pulumi serializes the provider object of every dynamic resource into its
// state (`__provider`, twice per resource), and the dynamic-provider host rebuilds it with
// `requireFromString(text).handler()` in the project directory, then calls its `configure` once per process
// before any other method. So this object holds nothing but one small function: `configure` requires
// `pulumi-plume/dynamic-provider` by name, as the project would (an installed package, or this repository
// itself, whose `dynamic-provider.js` loads the TypeScript sources), puts the implementation's methods on this
// object and configures it. The text it serializes to (well under 1 KB) contains no client, configuration,
// secret or path, and does not change between versions of this package.
//
// Everything the function uses must be a global (`require`, `process`): the closure serializer copies its
// source text, and comments inside its body would be copied too.
import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object handed to `pulumi.dynamic.Resource`. Its `configure` loads the implementation as the
 * project in the working directory resolves `pulumi-plume/dynamic-provider`, binds the implementation's
 * methods onto this object (the host calls them after `configure`), and configures it.
 */
export const plumeProviderShim = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    let p;
    try {
      p = require("module").createRequire(process.cwd() + "/")(
        "pulumi-plume/dynamic-provider",
      ).plumeDynamicProvider;
    } catch (e) {
      if ((e as { code?: string }).code !== "MODULE_NOT_FOUND") throw e;
      throw new Error(
        `pulumi-plume: ${(e as Error).message}; run \`npm install pulumi-plume\` in the project`,
        { cause: e },
      );
    }
    for (const k of ["check", "diff", "create", "read", "update", "delete"])
      if (p[k]) (this as Record<string, unknown>)[k] = p[k].bind(p);
    return p.configure(req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;
