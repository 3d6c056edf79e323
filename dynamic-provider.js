// `pulumi-plume/dynamic-provider`: what the serialized provider shim (provider/resource/shim.ts) requires by
// name. In the published package it is the compiled implementation; in a clone of this repository, where the
// TypeScript sources sit beside this file, it is those sources through ts-node (transpile only, as the
// provider host does not register ts-node), so a stale `dist/` never hides an edit.
/* global require, module, __dirname */
"use strict";
const { existsSync } = require("node:fs");
const path = require("node:path");

const sources = path.join(__dirname, "provider", "resource", "dynamicProvider.ts");
if (existsSync(sources)) {
  if (!require.extensions[".ts"]) require("ts-node").register({ transpileOnly: true });
  module.exports = require(sources);
} else {
  module.exports = require("./dist/provider/resource/dynamicProvider.js");
}
