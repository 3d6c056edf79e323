// A stand-in `pulumi` executable for testing `npm run up` and friends without the Pulumi CLI: it records
// each call (argv, cwd, the relevant environment) and, for up/preview/refresh/destroy, proves the
// simulator it was configured with is reachable by fetching a token and a location from it.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One call of the stand-in, as it recorded it. */
export interface PulumiCall {
  argv: string[];
  cwd: string;
  backendUrl: string | undefined;
  passphrase: string | undefined;
  transpileOnly: string | undefined;
  parallelDiff: string | undefined;
  skipCheckpoints: string | undefined;
  plumeVariables: string[];
  /** For up/preview/refresh/destroy: the status of a token request to the configured tokenUrl. */
  tokenStatus?: number;
  /** For up/preview/refresh/destroy: the status of GET on the probe location at the configured apiUrl. */
  locationStatus?: number;
  error?: string;
}

const SCRIPT = `#!/usr/bin/env node
const fs = require("node:fs");
const logFile = process.env.STANDIN_LOG;
const argv = process.argv.slice(2);
const record = {
  argv,
  cwd: process.cwd(),
  backendUrl: process.env.PULUMI_BACKEND_URL,
  passphrase: process.env.PULUMI_CONFIG_PASSPHRASE,
  transpileOnly: process.env.PULUMI_NODEJS_TRANSPILE_ONLY,
  parallelDiff: process.env.PULUMI_PARALLEL_DIFF,
  skipCheckpoints: process.env.PULUMI_SKIP_CHECKPOINTS,
  plumeVariables: Object.keys(process.env).filter((name) => name.startsWith("PLUME_")),
};
async function probeSimulator() {
  const calls = fs.readFileSync(logFile, "utf8").trim().split("\\n").map((line) => JSON.parse(line));
  const setAll = calls.reverse().find((call) => call.argv[0] === "config" && call.argv[1] === "set-all");
  const value = (key) => setAll.argv.find((arg) => arg.startsWith(key + "=")).slice(key.length + 1);
  const basic = Buffer.from(value("plume:clientId") + ":" + value("plume:clientSecret")).toString("base64");
  const tokenResponse = await fetch(value("plume:tokenUrl"), {
    method: "POST",
    headers: { authorization: "Basic " + basic, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&scope=partnerId:" + value("plume:partnerId") + " role:partnerIdAdmin",
  });
  record.tokenStatus = tokenResponse.status;
  const token = (await tokenResponse.json()).access_token;
  const location = await fetch(value("plume:apiUrl") + "/api/Customers/" + process.env.STANDIN_PROBE, {
    headers: { authorization: "Bearer " + token },
  });
  record.locationStatus = location.status;
}
(async () => {
  if (["up", "preview", "refresh", "destroy"].includes(argv[0])) await probeSimulator();
})()
  .catch((error) => { record.error = String(error); })
  .finally(() => {
    fs.appendFileSync(logFile, JSON.stringify(record) + "\\n");
    process.exit(Number(process.env["STANDIN_EXIT_" + argv[0].toUpperCase()] || 0));
  });
`;

/** A directory holding the stand-in `pulumi`, and the file it records its calls to. */
export interface StandInPulumi {
  /** The directory to put first on the PATH. */
  directory: string;
  /** The file the calls are recorded to, one JSON object per line. */
  logFile: string;
  /** The calls recorded so far. */
  calls(): PulumiCall[];
}

/** Writes the stand-in `pulumi` into a fresh temp directory. */
export function installStandInPulumi(): StandInPulumi {
  const directory = mkdtempSync(join(tmpdir(), "stand-in-pulumi-"));
  const executable = join(directory, "pulumi");
  writeFileSync(executable, SCRIPT);
  chmodSync(executable, 0o755);
  const logFile = join(directory, "calls.jsonl");
  writeFileSync(logFile, "");
  return {
    directory,
    logFile,
    calls: () =>
      existsSync(logFile)
        ? readFileSync(logFile, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map((line) => JSON.parse(line) as PulumiCall)
        : [],
  };
}
