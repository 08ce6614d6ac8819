/**
 * The little of the peers' APIs the bench's peer servers use, so that `tsc` is clean whether or not
 * bench/peers/node_modules is installed (it is installed on the first `npm run bench`, never by `npm ci`).
 * oidc-provider ships no types; the others do, and once installed their own declarations are the ones used.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Client {
    clientId: string;
  }
  export interface Token {
    clientId?: string;
  }
  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt' | 'paseto';
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    on(event: 'server_error', listener: (ctx: unknown, error: Error) => void): this;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };
}

declare module '@node-oauth/oauth2-server' {
  class OAuth2Server {
    constructor(options: OAuth2Server.ServerOptions);
    authenticate(
      request: OAuth2Server.Request,
      response: OAuth2Server.Response,
      options?: { scope?: string[] },
    ): Promise<OAuth2Server.Token>;
  }
  namespace OAuth2Server {
    class Request {
      constructor(options: {
        method: string;
        query: Record<string, string>;
        headers: Record<string, string>;
        body?: unknown;
      });
    }
    class Response {
      constructor(options?: Record<string, unknown>);
    }
    interface Token {
      accessToken: string;
      accessTokenExpiresAt?: Date;
      scope?: string[];
      client: { id: string; grants: string[] };
      user: Record<string, unknown>;
    }
    interface RequestAuthenticationModel {
      getAccessToken(accessToken: string): Promise<Token | false>;
      verifyScope(token: Token, scope: string[]): Promise<boolean>;
    }
    interface ServerOptions {
      model: RequestAuthenticationModel;
    }
  }
  export = OAuth2Server;
}

declare module 'better-auth' {
  export type BetterAuthOptions = Record<string, unknown>;
  export function betterAuth(options: BetterAuthOptions): {
    options: BetterAuthOptions;
    api: {
      signUpEmail(input: {
        body: { email: string; password: string; name: string };
      }): Promise<{ user: { id: string } }>;
      createApiKey(input: {
        body: { userId: string; name: string; permissions: Record<string, string[]> };
      }): Promise<{ key: string }>;
      verifyApiKey(input: { body: { key: string; permissions: Record<string, string[]> } }): Promise<unknown>;
    };
  };
}

declare module 'better-auth/db/migration' {
  export function getMigrations(
    options: Record<string, unknown>,
  ): Promise<{ runMigrations(): Promise<void> }>;
}

declare module '@better-auth/api-key' {
  export function apiKey(options?: { rateLimit?: { enabled?: boolean } }): unknown;
}
