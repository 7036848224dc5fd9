import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage } from '@bufbuild/protobuf';
// CommonJS package: a default import works under Node's ESM loader.
import proto from '@temporalio/proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadSchema } from '../../jobs/temporal-api/gen/temporal/api/common/v1/message_pb';
import * as requests from '../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/request_response_pb';
import { decodeWire, encodeWire, WireFormatError } from '../../jobs/temporal-api/wire';
import { decodePayload, encodePayload, WIRE_METHODS } from '../../jobs/temporal-api/wire-messages';

/** protobufjs' static class of an upstream message (`@temporalio/proto`), as much of it as this test uses. */
interface UpstreamClass {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: { defaults: boolean; bytes: typeof Uint8Array }): Record<string, unknown>;
  fromObject(object: object): object;
}
const upstream = (typeName: string): UpstreamClass => {
  let node: unknown = proto;
  for (const part of typeName.split('.')) node = (node as Record<string, unknown>)[part];
  return node as UpstreamClass;
};
const schema = (name: string): DescMessage => (requests as unknown as Record<string, DescMessage>)[`${name}Schema`] as DescMessage;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const PAYLOADS = {
  payloads: [
    { metadata: { encoding: utf8('json/plain') }, data: utf8('{"greeting":"héllo"}') },
    { metadata: { encoding: utf8('binary/null'), 'encryption-key-id': new Uint8Array(0) } },
  ],
};

/** A request of every wire-table method with every field set (multi-byte text and an empty map value included). */
const REQUESTS: Record<keyof typeof WIRE_METHODS, Record<string, unknown>> = {
  DescribeNamespace: { namespace: 'default', id: '7a1c-ü' },
  GetSystemInfo: {},
  RecordActivityTaskHeartbeat: { taskToken: new Uint8Array([1, 2, 3, 255]), details: PAYLOADS, identity: '1@host', namespace: 'ns' },
  RecordActivityTaskHeartbeatById: {
    namespace: 'ns',
    workflowId: 'wf',
    runId: 'run',
    activityId: '1',
    details: PAYLOADS,
    identity: '1@host',
  },
  RespondActivityTaskCompleted: { taskToken: new Uint8Array(300).fill(7), result: PAYLOADS, identity: '1@host', namespace: 'ns' },
  RespondActivityTaskCompletedById: { namespace: 'ns', workflowId: 'wf', runId: '', activityId: 'a', result: PAYLOADS, identity: 'i' },
  RespondActivityTaskCanceled: { taskToken: new Uint8Array([9]), details: { payloads: [] }, identity: 'i', namespace: 'ns' },
  RespondActivityTaskCanceledById: { namespace: 'ns', workflowId: 'wf', runId: 'r', activityId: 'a', identity: 'i' },
};

describe('wire tables against upstream encodings', () => {
  it.each(Object.entries(REQUESTS))('%s request: the bytes protobuf-es writes, and what protobufjs reads back', (method, request) => {
    const { input } = WIRE_METHODS[method as keyof typeof WIRE_METHODS];
    const ours = encodeWire(input, request);
    expect(ours).toEqual(toBinary(schema(`${method}Request`), create(schema(`${method}Request`), request)));
    const theirs = upstream(input.typeName);
    const options = { defaults: false, bytes: Uint8Array };
    expect(theirs.toObject(theirs.decode(ours), options)).toEqual(theirs.toObject(theirs.fromObject(request), options));
    expect(decodeWire(input, ours)).toEqual(fromBinary(schema(`${method}Request`), ours));
  });

  it('reads heartbeat responses as protobufjs writes them, each flag alone and all together', () => {
    for (const method of ['RecordActivityTaskHeartbeat', 'RecordActivityTaskHeartbeatById'] as const) {
      const { output } = WIRE_METHODS[method];
      const theirs = upstream(output.typeName);
      for (const flags of [
        {},
        { cancelRequested: true },
        { activityPaused: true },
        { activityReset: true },
        { cancelRequested: true, activityPaused: true, activityReset: true },
      ]) {
        const bytes = theirs.encode(theirs.fromObject(flags)).finish();
        expect(decodeWire(output, bytes)).toEqual({
          $typeName: output.typeName,
          cancelRequested: false,
          activityPaused: false,
          activityReset: false,
          ...flags,
        });
      }
    }
  });

  it('skips fields it has no table entry for (upstream has many more than the subset keeps)', () => {
    const { output } = WIRE_METHODS.DescribeNamespace;
    const theirs = upstream(output.typeName);
    const bytes = theirs
      .encode(
        theirs.fromObject({
          namespaceInfo: { name: 'default', state: 1, description: 'd', ownerEmail: 'o@x', data: { k: 'v' }, id: 'ns-id' },
          config: { workflowExecutionRetentionTtl: { seconds: 86400 } },
          failoverVersion: '12345678901',
          isGlobalNamespace: true,
        }),
      )
      .finish();
    expect(decodeWire(output, bytes)).toEqual({
      $typeName: output.typeName,
      namespaceInfo: { $typeName: 'temporal.api.namespace.v1.NamespaceInfo', name: 'default', id: 'ns-id' },
    });
    expect(decodeWire(WIRE_METHODS.RespondActivityTaskCompleted.output, bytes)).toEqual({
      $typeName: 'temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse',
    });
  });

  it('refuses bytes that are not a message', () => {
    const { output } = WIRE_METHODS.GetSystemInfo;
    expect(() => decodeWire(output, new Uint8Array([0x0a, 0x05, 0x61]))).toThrow(WireFormatError);
    expect(() => decodeWire(output, new Uint8Array([0x08, 0xff]))).toThrow(WireFormatError);
    expect(() => decodeWire(output, new Uint8Array([0x0b]))).toThrow(WireFormatError);
  });
});

describe('Payload (the codecs’ format)', () => {
  const payload = fc.record(
    {
      metadata: fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.uint8Array({ maxLength: 40 }), { maxKeys: 5 }),
      data: fc.uint8Array({ maxLength: 300 }),
    },
    { requiredKeys: [] },
  );

  it('decodes a metadata key of "__proto__" as an entry like any other, not as the object\'s prototype', () => {
    const metadata: Record<string, Uint8Array> = {};
    Object.defineProperty(metadata, '__proto__', { value: new Uint8Array([1]), enumerable: true, writable: true, configurable: true });
    metadata.encoding = new Uint8Array([2]);
    const decoded = decodePayload(encodePayload({ metadata, data: new Uint8Array([3]) }));
    expect(Object.keys(decoded.metadata ?? {})).toEqual(['__proto__', 'encoding']);
    expect(Object.getPrototypeOf(decoded.metadata)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded.metadata, '__proto__')?.value).toEqual(new Uint8Array([1]));
  });

  it('encodes as protobuf-es and protobufjs do, and decodes what they write', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const ours = encodePayload(p);
        expect(ours).toEqual(toBinary(PayloadSchema, create(PayloadSchema, p)));
        const theirs = proto.temporal.api.common.v1.Payload;
        const decoded = decodePayload(theirs.encode(theirs.create(p)).finish());
        expect(decoded).toEqual({
          $typeName: 'temporal.api.common.v1.Payload',
          metadata: p.metadata ?? {},
          data: p.data ?? new Uint8Array(0),
        });
      }),
    );
  });
});
