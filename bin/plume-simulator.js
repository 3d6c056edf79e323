#!/usr/bin/env node
// Launcher of the `plume-simulator` CLI: runs the build (dist/) when there is one, else the TypeScript
// sources through ts-node (a development checkout).
/* global require, __dirname */
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const built = join(root, "dist", "simulator", "cli.js");
let cli;
if (existsSync(built)) {
  cli = require(built);
} else {
  require("ts-node").register({ transpileOnly: true, project: join(root, "tsconfig.json") });
  cli = require(join(root, "simulator", "cli.ts"));
}
cli.main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`plume-simulator: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
