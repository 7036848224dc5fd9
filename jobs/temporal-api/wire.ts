/**
 * A small proto3 binary codec driven by field tables, for the few Temporal messages on the functions' cold-start
 * and per-record path. `@bufbuild/protobuf` boots `descriptor.proto` and every embedded file descriptor before it
 * can encode anything (~15 ms of a ~60 ms cold start, docs/benchmarks.md); these tables cost nothing to load.
 * Each table names the upstream message it mirrors, and test/unit/proto-subset.test.ts checks every field of it
 * (name, number, type, label) against upstream's descriptors, so a table cannot drift from Temporal's API.
 *
 * Encoding follows protobuf-es byte for byte (fields in number order, zero values of implicit-presence fields
 * left out, both key and value of a map entry written); decoding skips unknown fields, as every protobuf
 * runtime does, and gives unset fields their zero value.
 */

/** The kinds of field the tables use: proto3 scalars with implicit presence, messages, and a string→bytes map. */
export type WireFieldKind = 'string' | 'bytes' | 'bool' | 'message' | 'repeated message' | 'map<string, bytes>';

/** One field of a {@link WireMessage}. */
export interface WireField {
  /** The field's name in the `.proto` (snake_case); the object key is its camelCase form, as protobuf-es names it. */
  readonly name: string;
  readonly number: number;
  readonly kind: WireFieldKind;
  /** For `message` and `repeated message`: the field's message type. */
  readonly message?: () => WireMessage;
}

/** A message's wire layout: its full upstream name and its fields. */
export interface WireMessage {
  /** Full name, e.g. `temporal.api.common.v1.Payload`; also set as `$typeName` on decoded messages. */
  readonly typeName: string;
  /** By field number. */
  readonly fields: readonly WireField[];
  /** Each field's object key ({@link localNameOf} its name), in the order of `fields`. */
  readonly keys: readonly string[];
}

/** A message value: a plain object with camelCase keys, as protobuf-es shapes them. */
export type WireValue = object;

/** The camelCase key of a snake_case field name (`task_token` → `taskToken`). */
export const localNameOf = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

/** Defines a message table; `fields` in any order (they are encoded by number). */
export function wireMessage(typeName: string, fields: readonly WireField[]): WireMessage {
  const sorted = [...fields].sort((a, b) => a.number - b.number);
  return { typeName, fields: sorted, keys: sorted.map((f) => localNameOf(f.name)) };
}

/** Collects encoded parts; one allocation at the end. Tags and lengths gather in `pending` between byte parts. */
class Writer {
  private readonly parts: Uint8Array[] = [];
  private pending: number[] = [];

  /** A non-negative integer below 2^53 (tags, lengths, bools). */
  varint(value: number): void {
    let v = value;
    while (v > 0x7f) {
      this.pending.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.pending.push(v);
  }

  tag(number: number, wireType: 0 | 2): void {
    this.varint(number * 8 + wireType);
  }

  raw(bytes: Uint8Array): void {
    this.flush();
    this.parts.push(bytes);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(Uint8Array.from(this.pending));
    this.pending = [];
  }

  delimited(number: number, bytes: Uint8Array): void {
    this.tag(number, 2);
    this.varint(bytes.length);
    this.raw(bytes);
  }

  finish(): Uint8Array {
    this.flush();
    if (this.parts.length === 1) return this.parts[0] as Uint8Array;
    let length = 0;
    for (const part of this.parts) length += part.length;
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

/** Encodes `value` (a plain object with camelCase keys; absent keys are zero values) as `type`. */
export function encodeWire(type: WireMessage, value: WireValue): Uint8Array {
  const w = new Writer();
  const { fields, keys } = type;
  for (let i = 0; i < fields.length; i += 1) {
    const field = fields[i] as WireField;
    const v = (value as Readonly<Record<string, unknown>>)[keys[i] as string];
    if (v === undefined || v === null) continue;
    switch (field.kind) {
      case 'string':
        if (v !== '') w.delimited(field.number, utf8Encoder.encode(v as string));
        break;
      case 'bytes':
        if ((v as Uint8Array).length > 0) w.delimited(field.number, v as Uint8Array);
        break;
      case 'bool':
        if (v !== false) {
          w.tag(field.number, 0);
          w.varint(1);
        }
        break;
      case 'message':
        w.delimited(field.number, encodeWire((field.message as () => WireMessage)(), v as WireValue));
        break;
      case 'repeated message':
        for (const item of v as readonly WireValue[]) w.delimited(field.number, encodeWire((field.message as () => WireMessage)(), item));
        break;
      case 'map<string, bytes>':
        for (const [key, bytes] of Object.entries(v as Readonly<Record<string, Uint8Array>>)) {
          const entry = new Writer();
          entry.delimited(1, utf8Encoder.encode(key));
          entry.delimited(2, bytes);
          w.delimited(field.number, entry.finish());
        }
        break;
    }
  }
  return w.finish();
}

/** Thrown for bytes that are not a valid encoding of the message asked for. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

/** Reads protobuf's wire format from `bytes[start, end)`. */
class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    private readonly end: number,
  ) {}

  get done(): boolean {
    return this.at >= this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      if (this.at >= this.end) throw new WireFormatError('truncated varint');
      const byte = this.bytes[this.at++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new WireFormatError('varint longer than 10 bytes');
  }

  delimited(): Uint8Array {
    const length = this.varint();
    if (this.at + length > this.end) throw new WireFormatError('truncated length-delimited field');
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.at += 8;
        break;
      case 2:
        this.delimited();
        return;
      case 5:
        this.at += 4;
        break;
      default:
        throw new WireFormatError(`unsupported wire type ${wireType}`);
    }
    if (this.at > this.end) throw new WireFormatError('truncated fixed-width field');
  }
}

const WIRE_TYPES: Readonly<Record<WireFieldKind, number>> = {
  string: 2,
  bytes: 2,
  bool: 0,
  message: 2,
  'repeated message': 2,
  'map<string, bytes>': 2,
};

function zeroValue(field: WireField): unknown {
  switch (field.kind) {
    case 'string':
      return '';
    case 'bytes':
      return EMPTY;
    case 'bool':
      return false;
    case 'message':
      return undefined;
    case 'repeated message':
      return [];
    case 'map<string, bytes>':
      return {};
  }
}

/**
 * Decodes `bytes` as `type`: every field of the table present (zero value when unset), `$typeName` set, unknown
 * fields skipped. Byte fields are copies, not views into `bytes`.
 * @throws WireFormatError when the bytes are not a valid encoding
 */
export function decodeWire<T = Record<string, unknown>>(type: WireMessage, bytes: Uint8Array): T {
  return decodeRange(type, bytes, 0, bytes.length) as T;
}

function decodeRange(type: WireMessage, bytes: Uint8Array, start: number, end: number): Record<string, unknown> {
  const { fields, keys } = type;
  const out: Record<string, unknown> = { $typeName: type.typeName };
  for (let i = 0; i < fields.length; i += 1) out[keys[i] as string] = zeroValue(fields[i] as WireField);
  const r = new Reader(bytes, start, end);
  while (!r.done) {
    const tag = r.varint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    const index = fields.findIndex((f) => f.number === number);
    const field = fields[index];
    if (!field || WIRE_TYPES[field.kind] !== wireType) {
      r.skip(wireType);
      continue;
    }
    const key = keys[index] as string;
    if (field.kind === 'bool') {
      out[key] = r.varint() !== 0;
      continue;
    }
    const chunk = r.delimited();
    switch (field.kind) {
      case 'string':
        out[key] = utf8Decoder.decode(chunk);
        break;
      case 'bytes':
        out[key] = new Uint8Array(chunk);
        break;
      case 'message':
        out[key] = decodeWire((field.message as () => WireMessage)(), chunk);
        break;
      case 'repeated message':
        (out[key] as unknown[]).push(decodeWire((field.message as () => WireMessage)(), chunk));
        break;
      case 'map<string, bytes>': {
        const entry = new Reader(chunk, 0, chunk.length);
        let entryKey = '';
        let entryValue: Uint8Array = EMPTY;
        while (!entry.done) {
          const entryTag = entry.varint();
          if (entryTag === (1 << 3) + 2) entryKey = utf8Decoder.decode(entry.delimited());
          else if (entryTag === (2 << 3) + 2) entryValue = new Uint8Array(entry.delimited());
          else entry.skip(entryTag % 8);
        }
        // An own property whatever the key: a key of "__proto__" must not set the object's prototype.
        Object.defineProperty(out[key], entryKey, { value: entryValue, enumerable: true, writable: true, configurable: true });
        break;
      }
    }
  }
  return out;
}
