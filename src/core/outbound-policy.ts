import ipaddr from 'ipaddr.js';
import type { Settings } from './settings.ts';

/**
 * Where the service may send a request of its own (cloud publishing now; webhooks and discovery later), from
 * the tenant's `outbound.*` settings. The outbound client (src/http/outbound/) applies it to every connection;
 * the settings apply {@link urlRefusal} when a destination URL is saved, so a bad one is refused at once.
 */
export interface OutboundPolicy {
  /** `outbound.allow_http`: plain http is allowed besides https. */
  allowHttp: boolean;
  /** `outbound.allow_private_network`: loopback, private, link-local and other non-public addresses are allowed. */
  allowPrivateNetwork: boolean;
}

export function outboundPolicy(settings: Settings): OutboundPolicy {
  return {
    allowHttp: settings['outbound.allow_http'],
    allowPrivateNetwork: settings['outbound.allow_private_network'],
  };
}

/** Host names that always mean this machine, whatever DNS says (RFC 6761). */
const LOCAL_NAME = /(^|\.)localhost\.?$/i;

/**
 * Why a resolved address may not be connected to under the policy ("a loopback address (allowed only with
 * outbound.allow_private_network)"), or undefined when it may. Only ordinary public unicast addresses pass
 * without `allowPrivateNetwork`; an IPv4-mapped IPv6 address is judged as the IPv4 address it maps
 * (`::ffff:127.0.0.1` is loopback). Anything that does not parse is refused.
 */
export function addressRefusal(address: string, policy: OutboundPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  if (policy.allowPrivateNetwork) return undefined;
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return undefined;
  return `a ${describeRange(range)} address (allowed only with outbound.allow_private_network)`;
}

/**
 * Why a destination URL is refused under the policy, or undefined when it is acceptable: not https (unless
 * `allowHttp`), a user name or password in it, or a host that is itself a refused address (an IP literal in
 * any spelling: `0x7f.1`, `2130706433` and `[::ffff:127.0.0.1]` are all loopback) or a `localhost` name.
 * Host names are judged again, after DNS, on every connection.
 */
export function urlRefusal(url: URL, policy: OutboundPolicy): string | undefined {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp))
    return url.protocol === 'http:'
      ? 'must be an https URL (plain http is allowed only with outbound.allow_http)'
      : 'must be an https URL';
  if (url.username !== '' || url.password !== '')
    return 'must not contain a user name or password (put the credential in its own setting)';
  const host = hostOf(url);
  if (ipaddr.isValid(host)) {
    const refused = addressRefusal(host, policy);
    return refused && `${host} is ${refused}`;
  }
  if (LOCAL_NAME.test(host) && !policy.allowPrivateNetwork)
    return `${host} is this machine (allowed only with outbound.allow_private_network)`;
  return undefined;
}

/**
 * {@link urlRefusal} for a URL as an administrator wrote it, when it is saved. Besides, an IP address written in
 * another spelling than the one it stands for (`2130706433`, `0x7f.1`, `127.000.000.001`, `[::ffff:127.0.0.1]`)
 * is refused whatever the policy: no honest configuration needs one, and it hides what it points at.
 */
export function destinationRefusal(written: string, policy: OutboundPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    return 'must be a URL';
  }
  const host = hostOf(url);
  if (ipaddr.isValid(host)) {
    const authority = written.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/, 1)[0] ?? '';
    const writtenHost = authority
      .replace(/^.*@/, '')
      .replace(/:\d*$/, '')
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (writtenHost !== host) return `write the IP address as ${host}, not ${writtenHost}`;
  }
  return urlRefusal(url, policy);
}

/** The URL's host name without IPv6 brackets or a trailing dot. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: 'loopback',
    private: 'private',
    uniqueLocal: 'private',
    linkLocal: 'link-local',
    unspecified: 'unspecified',
    carrierGradeNat: 'shared (carrier-grade NAT)',
    multicast: 'multicast',
    broadcast: 'broadcast',
  };
  return names[range] ?? `non-public (${range})`;
}
