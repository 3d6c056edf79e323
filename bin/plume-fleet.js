#!/usr/bin/env node
// Launcher of the `plume-fleet` CLI (validate, export, plan). In an installed package it runs the build
// (dist/), which needs nothing but Node. In a checkout of the repository it runs the TypeScript sources
// through ts-node, so an old dist/ never stands in for the code being worked on.
/* global require, __dirname */
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const sources = join(root, "provider", "cli", "main.ts");
const built = join(root, "dist", "provider", "cli", "main.js");

function canLoad(id) {
  try {
    require.resolve(id, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

let cli;
if (existsSync(sources) && canLoad("ts-node")) {
  require("ts-node").register({ transpileOnly: true, project: join(root, "tsconfig.json") });
  cli = require(sources);
} else if (existsSync(built)) {
  cli = require(built);
} else {
  process.stderr.write(
    `plume-fleet: ${built} is missing. In a checkout of pulumi-plume, run \`npm install\` ` +
      "(which builds it) or `npm run build`; otherwise reinstall the package.\n",
  );
  process.exit(1);
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`plume-fleet: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
