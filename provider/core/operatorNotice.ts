// How the provider tells the person running Pulumi something that is not an error. The dynamic-provider host
// has no engine log connection of its own; the engine reads the host's stderr line by line and shows each line
// in the preview and update output, under the stack's "Diagnostics" (stdout is reserved for the host's port
// handshake at start-up). So a notice is one line on stderr, named after this package.

/** Writes `message` as one line for the operator; line breaks inside it are folded into spaces. */
export function tellOperator(message: string): void {
  process.stderr.write(`pulumi-plume: ${message.replace(/\s*\n\s*/g, " ")}\n`);
}
