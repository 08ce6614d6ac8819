import type { Principal } from './principal.ts';
import type { Store } from './store.ts';

/**
 * Whether the caller is signed in to the console: a person who typed their password into this service's own
 * sign-in page. Not a mobile app's session (a phone is easier to lose), nor any token.
 */
export async function isConsoleSession(store: Store, principal: Principal): Promise<boolean> {
  if (principal.kind !== 'ses') return false;
  return (await store.tokens.get(principal.tenantId, principal.tokenId))?.sessionType === 'console';
}
