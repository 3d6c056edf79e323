// Entry point of `npm run up|preview|refresh|destroy|drift`: `ts-node scripts/run.ts <command> [pulumi args]`.
import { runDrift } from "./drift";
import { FLEET_COMMANDS, type FleetCommand, runFleetCommand } from "./fleetCommand";

async function main(argv: string[]): Promise<number> {
  const [command, ...extraArgs] = argv;
  if (command === "drift") return runDrift();
  if ((FLEET_COMMANDS as readonly string[]).includes(command)) {
    return runFleetCommand(command as FleetCommand, extraArgs);
  }
  console.error(
    `Usage: ts-node scripts/run.ts <${[...FLEET_COMMANDS, "drift"].join("|")}> [pulumi arguments]`,
  );
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exitCode = 1;
  },
);
