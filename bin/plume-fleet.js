#!/usr/bin/env node
// Launcher of the `plume-fleet` CLI: validate, export, plan (see launch.js for where it loads it from).
/* global require */
"use strict";
const { loadCli, failed } = require("./launch");

const cli = loadCli("plume-fleet", "provider/cli/main.ts", "dist/provider/cli/main.js");
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => failed("plume-fleet", error),
);
