import { formatUri, parseNameAddr, parseUri } from '../message/index.js';

export interface RequestTarget {
  requestUri: string;
  /** Route header values, in order. */
  routes: string[];
}

function isLooseRoute(routeValue: string): boolean {
  return parseUri(parseNameAddr(routeValue).uri).params.has('lr');
}

/**
 * Request-URI and Route headers of an in-dialog request (RFC 3261 §12.2.1.1). With a loose-routing first hop (`;lr`)
 * the Request-URI is the remote target and the route set goes in Route unchanged. A strict router (RFC 2543) wants
 * its own URI as Request-URI: the rest of the route set follows in Route, and the remote target goes last.
 */
export function resolveRequestTarget(remoteTarget: string, routeSet: readonly string[]): RequestTarget {
  if (routeSet.length === 0) return { requestUri: remoteTarget, routes: [] };
  if (isLooseRoute(routeSet[0])) return { requestUri: remoteTarget, routes: [...routeSet] };
  const first = parseUri(parseNameAddr(routeSet[0]).uri);
  // §12.2.1.1: strip the parameters that are not allowed in a Request-URI (§19.1.1 Table 1: method, headers).
  first.params.delete('method');
  first.headers.clear();
  return { requestUri: formatUri(first), routes: [...routeSet.slice(1), `<${remoteTarget}>`] };
}
