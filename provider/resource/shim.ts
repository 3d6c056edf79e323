// The serialized dynamic provider. Pulumi serializes the provider object of every dynamic resource into its
// state (`__provider`, twice per resource), and the dynamic-provider host rebuilds it with
// `requireFromString(text).handler()` in the project directory, then calls its `configure` once per process
// before any other method. So this object holds nothing but one line of code: `configure` requires
// `pulumi-plume/dynamic-provider` by name, as the project resolves it (the installed package, or this
// repository itself, whose `dynamic-provider.js` loads the TypeScript sources), and lets it put the
// implementation's methods on this object. The text it serializes to (about 600 bytes) contains no client,
// configuration, secret or path, and does not change between versions of this package.
//
// The function may use globals only (`require`, `process`): the closure serializer copies its source text.
// Without the package, the host fails with Node's "Cannot find module 'pulumi-plume/dynamic-provider'".
import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object handed to `pulumi.dynamic.Resource`: its `configure` loads the implementation as the
 * project in the working directory resolves `pulumi-plume/dynamic-provider`, which binds its methods onto
 * this object (the host calls them after `configure`) and configures it.
 */
export const plumeProviderShim = {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("module")
      .createRequire(process.cwd() + "/")("pulumi-plume/dynamic-provider")
      .bindShim(this, req);
  },
} as unknown as pulumi.dynamic.ResourceProvider;
