import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageInitShape } from '@bufbuild/protobuf';

/** How one method's request is encoded and its response decoded. */
export interface MethodCodec {
  encode(request: object): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/**
 * protobuf-es' codec of a method with generated schemas. A module of its own so that `workflow-service.ts`
 * loads it, and with it the protobuf-es runtime, only at the first call of such a method.
 */
export function generatedCodec(input: DescMessage, output: DescMessage): MethodCodec {
  return {
    encode: (request) => toBinary(input, create(input, request as MessageInitShape<typeof input>)),
    decode: (bytes) => fromBinary(output, bytes),
  };
}
