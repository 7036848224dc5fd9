import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/free-port';
import { closeTemporalClient, getTemporalClient, IDLE_RECONNECT_MS, temporalConnectCount } from '../../functions/runtime/temporal-client';

describe('the module-scope Temporal client', () => {
  afterEach(() => closeTemporalClient());

  it('does not cache a failed connect: the next call tries again', async () => {
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`;
    const before = temporalConnectCount();
    await expect(getTemporalClient()).rejects.toThrow();
    await expect(getTemporalClient()).rejects.toThrow();
    expect(temporalConnectCount()).toBe(before + 2);
  }, 30_000);

  it('fails at first use with a message naming TEMPORAL_ADDRESS when it is unset', async () => {
    delete process.env.TEMPORAL_ADDRESS;
    await expect(getTemporalClient()).rejects.toThrow(/TEMPORAL_ADDRESS is not set/);
  });

  it('rebuilds the connection after an idle gap', async () => {
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${await freePort()}`;
    const t0 = 1_000_000;
    const first = getTemporalClient(t0);
    first.catch(() => undefined);
    expect(getTemporalClient(t0 + 1_000)).toBe(first);
    const later = getTemporalClient(t0 + 1_000 + IDLE_RECONNECT_MS + 1);
    later.catch(() => undefined);
    expect(later).not.toBe(first);
  });
});
