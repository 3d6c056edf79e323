/**
 * How a client option is spelled as Pulumi stack config and as an environment variable, following the
 * project-wide convention: option `fooBar` is `plume:fooBar` and `PLUME_FOO_BAR`. Auth fields use their own
 * name (`auth.clientSecret` is `plume:clientSecret` / `PLUME_CLIENT_SECRET`).
 */
export function settingSources(option: string): string {
  const name = option.startsWith("auth.") ? option.slice("auth.".length) : option;
  return `plume:${name} / ${environmentVariableOf(name)}`;
}

/** `maxRequestsPerSecond` -> `PLUME_MAX_REQUESTS_PER_SECOND`. */
export function environmentVariableOf(option: string): string {
  return "PLUME_" + option.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}
