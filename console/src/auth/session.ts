import { useSyncExternalStore } from 'react';

/** A console sign-in: the session token from POST /api/auth/login, kept for this browser tab only. */
export interface Session {
  token: string;
  expiresAt: string;
}

/** Why the user is looking at the sign-in screen: shown there as a message. */
export type SignedOutReason = 'expired' | 'signed-out' | null;

const KEY = 'tessera.session';
const REASON_KEY = 'tessera.signedOutReason';
const listeners = new Set<() => void>();

interface Snapshot {
  session: Session | null;
  reason: SignedOutReason;
}

function read(): Snapshot {
  let session: Session | null = null;
  try {
    const raw = sessionStorage.getItem(KEY);
    session = raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    session = null;
  }
  return { session, reason: (sessionStorage.getItem(REASON_KEY) as SignedOutReason) ?? null };
}

let snapshot = read();

function publish(): void {
  snapshot = read();
  for (const listener of listeners) listener();
}

/** The session store: sessionStorage (so a reload keeps you signed in, a new tab does not) plus listeners. */
export const sessionStore = {
  get: (): Session | null => snapshot.session,
  token: (): string | null => snapshot.session?.token ?? null,
  signIn(session: Session): void {
    sessionStorage.setItem(KEY, JSON.stringify(session));
    sessionStorage.removeItem(REASON_KEY);
    publish();
  },
  /** Forgets the session; `reason` tells the sign-in screen what to say. */
  signOut(reason: Exclude<SignedOutReason, null>): void {
    sessionStorage.removeItem(KEY);
    sessionStorage.setItem(REASON_KEY, reason);
    publish();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The current session and, when signed out, why. Re-renders on sign-in, sign-out and expiry. */
export function useSession(): Snapshot {
  return useSyncExternalStore(sessionStore.subscribe, () => snapshot);
}
