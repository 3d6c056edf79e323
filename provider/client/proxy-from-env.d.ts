// proxy-from-env ships no types.
declare module "proxy-from-env" {
  /**
   * The proxy URL for `url` from `<scheme>_PROXY` / `ALL_PROXY` (lower case first), or `""` when none is set
   * or `NO_PROXY` exempts the URL's host. Reads `process.env` on every call.
   */
  export function getProxyForUrl(url: string | URL): string;
}
