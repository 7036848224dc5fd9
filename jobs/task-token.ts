/**
 * Tells whether bytes are a well-formed protobuf message, as every Temporal task token is. A token that is
 * not would make the server answer UNKNOWN, which the client retries for a long time; checking the wire
 * format first turns that into an immediate, clear rejection. It does not prove the token is genuine.
 */
export function isWellFormedTaskToken(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.length > 4096) return false;
  let offset = 0;
  let fields = 0;
  const varint = (): number | undefined => {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      if (offset >= bytes.length) return undefined;
      const byte = bytes[offset++] as number;
      if (shift < 49) result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    return undefined;
  };
  while (offset < bytes.length) {
    const key = varint();
    if (key === undefined || key >>> 3 === 0) return false;
    switch (key & 7) {
      case 0:
        if (varint() === undefined) return false;
        break;
      case 1:
        offset += 8;
        break;
      case 2: {
        const length = varint();
        if (length === undefined) return false;
        offset += length;
        break;
      }
      case 5:
        offset += 4;
        break;
      default:
        return false;
    }
    if (offset > bytes.length) return false;
    fields += 1;
  }
  return fields > 0;
}

/**
 * Reads the namespace id (field 1, a string) from a task token's protobuf, or `undefined` when the token
 * has none in that place. Used to refuse tokens of another namespace before any call to Temporal.
 */
export function taskTokenNamespaceId(bytes: Uint8Array): string | undefined {
  // Field 1, wire type 2 (length-delimited) is the key byte 0x0a; namespace ids are short, so one length byte.
  if (bytes[0] !== 0x0a || bytes.length < 2) return undefined;
  const length = bytes[1] as number;
  if (length >= 0x80 || 2 + length > bytes.length) return undefined;
  return Buffer.from(bytes.subarray(2, 2 + length)).toString('utf8');
}
