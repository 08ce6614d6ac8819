import { type AuthService, DEFAULT_TENANT } from '../auth.ts';
import { invalid } from '../errors.ts';
import type { OAuthClient, UserWithSecret } from '../model.ts';
import type { SettingsService } from '../settings-service.ts';
import { CLIENT_ID_PATTERN, type ClientService } from './clients.ts';

/** A client id and secret as presented (HTTP Basic or form fields); either may be missing. */
export interface ClientCredentials {
  clientId?: string;
  clientSecret?: string;
}

/** Who authenticated at an OAuth endpoint: a registered client, or a user by password (seed 002). */
export type OAuthCaller = { type: 'client'; client: OAuthClient } | { type: 'user'; user: UserWithSecret };

/**
 * Client authentication for the OAuth endpoints. A client id of the registered shape (`cli_…`) is checked
 * against the registered clients; anything else, while `oauth.allow_user_credentials` is on, is a username
 * and password (seed 002). Both paths are throttled like sign-in.
 */
export class OAuthCallers {
  constructor(
    private readonly clients: ClientService,
    private readonly auth: AuthService,
    private readonly settings: SettingsService,
  ) {}

  /** Authenticates the presented credentials; missing ones are a 400 naming the parameter. */
  async authenticate(
    credentials: ClientCredentials,
    ip: string | null,
    failedAction = 'oauth.token_failed',
  ): Promise<OAuthCaller> {
    const { clientId, clientSecret } = credentials;
    if (clientId === undefined || clientId === '') throw invalid('client_id', 'is required');
    if (clientSecret === undefined || clientSecret === '') throw invalid('client_secret', 'is required');
    if (!CLIENT_ID_PATTERN.test(clientId)) {
      const allowed = (await this.settings.get(DEFAULT_TENANT))['oauth.allow_user_credentials'];
      if (allowed) {
        const user = await this.auth.checkPassword(
          { username: clientId, password: clientSecret },
          ip,
          failedAction,
        );
        return { type: 'user', user };
      }
    }
    return { type: 'client', client: await this.clients.authenticate(clientId, clientSecret, ip) };
  }
}

/** Whether any client credential was presented at all. */
export function presented(credentials: ClientCredentials): boolean {
  return credentials.clientId !== undefined || credentials.clientSecret !== undefined;
}
