// The dynamic provider as stored in state. Pulumi's dynamic-provider host finds the provider of every dynamic
// resource in its `__provider` property (stored twice per resource: inputs and outputs) and rebuilds it with
// `requireFromString(text).handler()` in the project directory, then calls its `configure` once per process
// before any other method. `pulumi.dynamic.Resource` fills that property by running the provider object
// through Pulumi's closure serializer, which wraps even a one-line function in some 470 bytes; so
// PlumeLocationService writes the module text itself: one line that requires `pulumi-plume/dynamic-provider`
// by name, as the project resolves it (the installed package, or this repository itself, whose
// `dynamic-provider.js` loads the TypeScript sources), and hands the host that module's provider.
//
// The text holds no client, configuration, secret or path, and must not change between versions of this
// package: every change rewrites every stack's state. What earlier versions stored keeps working: the
// serialized shim of 0.2.0 in development calls the module's `bindShim`, 0.1.0's carries its whole provider.
// Without the package, the host fails with Node's "Cannot find module 'pulumi-plume/dynamic-provider'".

/** The `__provider` text of every PlumeLocationService (124 bytes). */
export const DYNAMIC_PROVIDER_SOURCE =
  'exports.handler = () => require("module").createRequire(process.cwd() + "/")' +
  '("pulumi-plume/dynamic-provider").hostProvider;\n';
