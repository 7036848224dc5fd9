import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalConnectionConfig } from '../../functions/runtime/config';
import { tlsFromSecret } from '../../functions/runtime/temporal-client';

describe('Temporal connection settings, as the temporal CLI reads them', () => {
  it('reads address, namespace, API key and TLS from the environment', () => {
    const config = temporalConnectionConfig({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'k',
      TEMPORAL_TLS: 'true',
    });
    expect(config).toMatchObject({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', apiKey: 'k' });
    expect(config.tls).toBeTruthy();
  });

  it('reads a profile from the TOML file, the environment overriding it', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'envconfig-')), 'temporal.toml');
    await writeFile(file, '[profile.prod]\naddress = "prod.example:7233"\nnamespace = "prod-ns"\n');
    expect(temporalConnectionConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' })).toMatchObject({
      address: 'prod.example:7233',
      namespace: 'prod-ns',
    });
    expect(temporalConnectionConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' }).namespace).toBe(
      'other',
    );
  });

  it('fails with a message naming TEMPORAL_ADDRESS when no address is configured', () => {
    expect(() => temporalConnectionConfig({ TEMPORAL_CONFIG_FILE: '/nonexistent.toml' })).toThrow(/TEMPORAL_ADDRESS/);
  });

  it('turns the mTLS secret into a client certificate pair, and names what is missing', () => {
    const tls = tlsFromSecret(JSON.stringify({ clientCert: 'CERT', clientKey: 'KEY', serverName: 'x.tmprl.cloud' }));
    expect(tls.clientCertPair?.crt.toString()).toBe('CERT');
    expect(tls.clientCertPair?.key.toString()).toBe('KEY');
    expect(tls.serverNameOverride).toBe('x.tmprl.cloud');
    expect(() => tlsFromSecret('{"clientCert":"CERT"}')).toThrow(/"clientKey"/);
    expect(() => tlsFromSecret('KEY')).toThrow(/not JSON/);
  });
});
