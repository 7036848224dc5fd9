/**
 * The floors' request, encoded by hand once: `RespondActivityTaskCompletedRequest` / `RecordActivityTaskHeartbeatRequest`
 * with task token (1), identity (3) and namespace (4), no payloads. Both messages number those fields alike.
 * Every field here is shorter than 128 bytes, so each length is a single-byte varint.
 */
import { BOGUS_TASK_TOKEN, IDENTITY, NAMESPACE } from './probe-call';

function field(number: number, value: Uint8Array): Uint8Array {
  if (value.length > 127) throw new RangeError('pre-encoded fields must be shorter than 128 bytes');
  return Uint8Array.from([(number << 3) | 2, value.length, ...value]);
}

const text = new TextEncoder();

/** The request bytes, the same for every call. */
export const PRE_ENCODED_REQUEST = Buffer.concat([
  field(1, BOGUS_TASK_TOKEN),
  field(3, text.encode(IDENTITY)),
  field(4, text.encode(NAMESPACE)),
]);
