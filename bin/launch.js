// What the package's command-line launchers share: load a CLI module from the build (dist/) in an installed
// package, which needs nothing but Node, or from the TypeScript sources through ts-node in a checkout of the
// repository, so an old dist/ never stands in for the code being worked on.
/* global require, module, __dirname */
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");

function canLoad(id) {
  try {
    require.resolve(id, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

/**
 * The CLI module of command `name`: `sources` (a .ts path from the repository root) in a checkout with
 * ts-node, else `built` (a .js path from the root); exits 1 saying what to run when neither is there.
 */
function loadCli(name, sources, built) {
  const sourcesPath = join(root, sources);
  const builtPath = join(root, built);
  if (existsSync(sourcesPath) && canLoad("ts-node")) {
    require("ts-node").register({ transpileOnly: true, project: join(root, "tsconfig.json") });
    return require(sourcesPath);
  }
  if (existsSync(builtPath)) return require(builtPath);
  process.stderr.write(
    `${name}: ${builtPath} is missing. In a checkout of pulumi-plume, run \`npm install\` ` +
      "(which builds it) or `npm run build`; otherwise reinstall the package.\n",
  );
  process.exit(1);
}

/** Writes a failure of command `name` and exits 1. */
function failed(name, error) {
  process.stderr.write(`${name}: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
}

module.exports = { loadCli, failed };
