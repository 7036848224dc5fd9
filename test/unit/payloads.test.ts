import { describe, expect, it } from 'vitest';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decodeJsonPayload, encodeJsonPayload } from '../../jobs/payloads';

/** A reversible codec that tags each payload, so order and coverage can be checked. */
function taggingCodec(tag: string): PayloadCodec {
  return {
    async encode(payloads: Payload[]) {
      return payloads.map((p) => ({
        metadata: { encoding: new TextEncoder().encode(`binary/${tag}`) },
        data: new TextEncoder().encode(
          JSON.stringify({
            tag,
            data: Buffer.from(p.data ?? []).toString('base64'),
            metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
          }),
        ),
      }));
    },
    async decode(payloads: Payload[]) {
      return payloads.map((p) => {
        const inner = JSON.parse(new TextDecoder().decode(p.data)) as { tag: string; data: string; metadata: Record<string, string> };
        if (inner.tag !== tag) throw new Error(`codec ${tag} got a payload of ${inner.tag}`);
        return {
          data: Buffer.from(inner.data, 'base64'),
          metadata: Object.fromEntries(Object.entries(inner.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
        };
      });
    },
  };
}

describe('job payloads', () => {
  it('round-trips a value through the default converter as Temporal JSON', async () => {
    const payload = await encodeJsonPayload({ name: 'Ada', n: [1, 2] });
    expect(Buffer.from(payload.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
    await expect(decodeJsonPayload(payload)).resolves.toEqual({ name: 'Ada', n: [1, 2] });
  });

  it('applies codecs in order on encode and in reverse on decode', async () => {
    const dataConverter = { payloadCodecs: [taggingCodec('inner'), taggingCodec('outer')] };
    const payload = await encodeJsonPayload({ secret: 'plaintext-value' }, dataConverter);
    expect(Buffer.from(payload.metadata.encoding ?? '', 'base64').toString()).toBe('binary/outer');
    await expect(decodeJsonPayload(payload, dataConverter)).resolves.toEqual({ secret: 'plaintext-value' });
  });

  it('fails to decode with the wrong codec instead of returning garbage', async () => {
    const payload = await encodeJsonPayload('x', { payloadCodecs: [taggingCodec('a')] });
    await expect(decodeJsonPayload(payload, { payloadCodecs: [taggingCodec('b')] })).rejects.toThrow(/codec b got a payload of a/);
  });
});

describe('payload metadata keys from the wire', () => {
  it('keeps a "__proto__" entry an entry: it cannot replace the metadata object’s prototype', async () => {
    const payload = await encodeJsonPayload({ a: 1 });
    const hostile = JSON.parse(JSON.stringify(payload).replace('"metadata":{', '"metadata":{"__proto__":"eA==",')) as typeof payload;
    let seen: Record<string, Uint8Array> | undefined;
    const observing: PayloadCodec = {
      encode: async (p) => p,
      decode: async (p) => {
        seen = p[0]?.metadata ?? undefined;
        return p;
      },
    };
    await expect(decodeJsonPayload(hostile, { payloadCodecs: [observing] })).resolves.toEqual({ a: 1 });
    expect(Object.keys(seen ?? {})).toContain('__proto__');
    expect(Object.getPrototypeOf(seen)).toBeNull();
  });
});
