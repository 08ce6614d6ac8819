import { describe, expect, it } from 'vitest';
import { TesseraError } from '../../src/core/errors.ts';
import { oauthError } from '../../src/http/oauth-errors.ts';

/** The one table from Tessera's codes to RFC 6749 §5.2 bodies; the HTTP suites drive each over the wire. */
describe('the OAuth error mapping', () => {
  it.each([
    ['VALIDATION_FAILED', 400, 'invalid_request'],
    ['UNSUPPORTED_MEDIA_TYPE', 400, 'invalid_request'],
    ['INVALID_CLIENT', 401, 'invalid_client'],
    ['INVALID_CREDENTIALS', 401, 'unauthorized_client'],
    ['INVALID_GRANT', 400, 'invalid_grant'],
    ['INVALID_TOKEN', 400, 'invalid_grant'],
    ['INVALID_SCOPE', 400, 'invalid_scope'],
    ['UNSUPPORTED_GRANT_TYPE', 400, 'unsupported_grant_type'],
    ['TOO_MANY_ATTEMPTS', 429, 'slow_down'],
    ['USER_NOT_FOUND', 400, 'invalid_request'],
  ] as const)('%s is %i %s', (code, status, error) => {
    const mapped = oauthError(new TesseraError(code, 'why'));
    expect(mapped.status).toBe(status);
    expect(mapped.body.error).toBe(error);
  });

  it('answers seed 002’s fixed description for wrong user credentials', () => {
    expect(
      oauthError(new TesseraError('INVALID_CREDENTIALS', 'The username or password is wrong.')).body,
    ).toEqual({
      error: 'unauthorized_client',
      error_description: 'Bad credentials',
    });
  });

  it('hides an internal error’s detail behind server_error', () => {
    const mapped = oauthError(
      new TesseraError('INTERNAL', 'connection to 10.0.0.5 refused: password for db'),
    );
    expect(mapped.status).toBe(500);
    expect(mapped.body).toEqual({
      error: 'server_error',
      error_description: 'The server could not complete the request.',
    });
    expect(JSON.stringify(mapped)).not.toContain('10.0.0.5');
  });

  it('adds Retry-After to a throttled answer and WWW-Authenticate to every 401', () => {
    expect(oauthError(new TesseraError('TOO_MANY_ATTEMPTS', 'x', { retryAfterSeconds: 42 })).headers).toEqual(
      {
        'Retry-After': '42',
      },
    );
    expect(oauthError(new TesseraError('INVALID_CLIENT', 'x')).headers['WWW-Authenticate']).toBe(
      'Basic realm="tessera"',
    );
    expect(oauthError(new TesseraError('INVALID_CREDENTIALS', 'x')).headers['WWW-Authenticate']).toBe(
      'Basic realm="tessera"',
    );
  });
});
