#!/usr/bin/env node
// Launcher of the `plume-simulator` CLI (see launch.js for where it loads it from).
/* global require */
"use strict";
const { loadCli, failed } = require("./launch");

const cli = loadCli("plume-simulator", "simulator/cli.ts", "dist/simulator/cli.js");
cli.main(process.argv.slice(2)).catch((error) => failed("plume-simulator", error));
