import type { AuthService } from './auth.ts';
import { isConsoleSession } from './console-session.ts';
import { invalid, TesseraError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { Store } from './store.ts';
import { PROFILE_SIGN_IN_FIELDS, type UserService, type UserView, userView } from './users.ts';

export interface ProfilePatch {
  fullName?: string | null;
  email?: string | null;
  preferredLanguage?: string | null;
  password?: string;
  currentPassword?: string;
}

/**
 * The signed-in user's own profile. What decides who can sign in as them (email, password) changes only
 * from a console session, and a new password needs the current one, checked under the sign-in lock-out.
 */
export class ProfileService {
  constructor(
    private readonly store: Store,
    private readonly users: UserService,
    private readonly auth: AuthService,
  ) {}

  async get(principal: Principal): Promise<UserView> {
    return userView(await this.find(principal));
  }

  /** Changes the caller's profile; a new password ends their other sessions. */
  async update(principal: Principal, patch: ProfilePatch): Promise<UserView> {
    const { currentPassword, ...changes } = patch;
    const signIn = PROFILE_SIGN_IN_FIELDS.find((field) => changes[field] !== undefined);
    if (signIn !== undefined) await this.requireConsoleSession(principal, signIn);
    if (changes.password !== undefined) {
      const me = await this.find(principal);
      if (me.sso)
        throw invalid(
          'password',
          'you sign in through single sign-on; your password is kept by your identity provider',
        );
      if (currentPassword === undefined) throw invalid('currentPassword', 'needed to set a new password');
      // The same check, lock-out and audit as signing in: a stolen session can't guess the password freely.
      await this.auth.checkCurrentPassword(principal, currentPassword);
    }
    return this.users.updateAs(principal, principal.userId, changes, { keepSessionId: principal.tokenId });
  }

  /** "Sign out everywhere": ends the caller's other console and mobile sessions. */
  signOutEverywhere(principal: Principal): Promise<number> {
    return this.users.signOutEverywhere(principal, principal.userId);
  }

  private async requireConsoleSession(principal: Principal, field: string): Promise<void> {
    if (!(await isConsoleSession(this.store, principal))) {
      throw new TesseraError(
        'FORBIDDEN',
        `${field}: your email and password change only from a console session (sign in at the console), not with an API or mobile token.`,
        { field },
      );
    }
  }

  private async find(principal: Principal) {
    const user = await this.store.users.get(principal.tenantId, principal.userId);
    if (!user) throw new TesseraError('USER_NOT_FOUND', 'Your user no longer exists.');
    return user;
  }
}
