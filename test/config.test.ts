import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseTrustedProxies } from '../src/config/config.ts';

const load = (env: Record<string, string>) => loadConfig(env, { dataDir: '/tmp/tessera-config-test' });

describe('TESSERA_TRUST_PROXY', () => {
  it('trusts no proxy by default', () => {
    expect(load({}).trustProxy).toEqual([]);
  });

  it('takes comma-separated addresses and CIDR ranges, IPv4 and IPv6, normalised', () => {
    expect(
      load({ TESSERA_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1 ,2001:db8::5/32,192.168.1.7/24' }).trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', '2001:db8::/32', '192.168.1.0/24']);
  });

  it.each(['true', 'TRUE', 'yes', '1'])('refuses %s, naming the variable and saying why', (value) => {
    expect(() => load({ TESSERA_TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => load({ TESSERA_TRUST_PROXY: value })).toThrow(
      /TESSERA_TRUST_PROXY: .*load balancers.*forge its address with X-Forwarded-For.*10\.0\.0\.0\/8,127\.0\.0\.1/,
    );
  });

  it('refuses false, saying to leave the variable unset', () => {
    expect(() => load({ TESSERA_TRUST_PROXY: 'false' })).toThrow(/TESSERA_TRUST_PROXY: .*leave it unset/);
  });

  it.each([
    ['proxy.internal', /"proxy.internal" is not an IP address or CIDR range/],
    ['10.0.0.0/33', /"10.0.0.0\/33" is not an IP address/],
    ['10.0.0', /"10.0.0" is not an IP address/],
    ['010.0.0.1', /is not an IP address/],
    ['fe80::1%eth0', /is not an IP address/],
    ['10.0.0.1,nope', /"nope" is not an IP address/],
    ['0.0.0.0/0', /takes in every address/],
    ['::/0', /takes in every address/],
  ])('refuses %s', (value, message) => {
    expect(() => load({ TESSERA_TRUST_PROXY: value })).toThrow(message);
    expect(() => parseTrustedProxies(value)).toThrow();
  });
});

describe('TESSERA_METRICS', () => {
  const token = 'metrics-token-metrics-token-0123456789';

  it('is off by default', () => {
    expect(load({}).metrics).toBe('off');
  });

  it('takes open, or token with a token of 32+ characters', () => {
    expect(load({ TESSERA_METRICS: 'open' }).metrics).toBe('open');
    const config = load({ TESSERA_METRICS: 'token', TESSERA_METRICS_TOKEN: token });
    expect(config).toMatchObject({ metrics: 'token', metricsToken: token });
  });

  it('refuses a token mode without a token, a short token, and a token that would not be asked for', () => {
    expect(() => load({ TESSERA_METRICS: 'token' })).toThrow(
      /TESSERA_METRICS_TOKEN: required when TESSERA_METRICS=token/,
    );
    expect(() => load({ TESSERA_METRICS: 'open', TESSERA_METRICS_TOKEN: token })).toThrow(
      /TESSERA_METRICS_TOKEN: is set but TESSERA_METRICS=open/,
    );
    const short = () => load({ TESSERA_METRICS: 'token', TESSERA_METRICS_TOKEN: 'short-secret' });
    expect(short).toThrow(/TESSERA_METRICS_TOKEN: must not have fewer than 32 characters/);
    // The token never appears in the message.
    expect(short).not.toThrow(/short-secret/);
  });

  it('refuses an unknown mode, listing the choices', () => {
    expect(() => load({ TESSERA_METRICS: 'public' })).toThrow(
      /TESSERA_METRICS: must be one of off, open, token \(got "public"\)/,
    );
  });
});

describe('TESSERA_ADMIN_PASSWORD', () => {
  it.each([
    ['short one', /TESSERA_ADMIN_PASSWORD: must be at least 12 characters/],
    ['password1234', /TESSERA_ADMIN_PASSWORD: is one of the most common passwords/],
    ['aaaaaaaaaaaaaaaa', /TESSERA_ADMIN_PASSWORD: must not be one character repeated/],
  ])('refuses %j, naming the variable and the rule, never the value', (value, rule) => {
    expect(() => load({ TESSERA_ADMIN_PASSWORD: value })).toThrow(rule);
    try {
      load({ TESSERA_ADMIN_PASSWORD: value });
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('takes a long, uncommon password', () => {
    expect(load({ TESSERA_ADMIN_PASSWORD: 'correct horse battery' }).adminPassword).toBe(
      'correct horse battery',
    );
  });
});
