import { defaultPayloadConverter } from '@temporalio/common/lib/converter/payload-converter.js';
import type { DataConverter, Payload, PayloadCodec, PayloadConverter } from '@temporalio/common';

/** A Temporal payload in its JSON form: metadata values and data in base64, as in Temporal's proto JSON. */
export interface JsonPayload {
  /** Metadata entries (e.g. `encoding`), each value base64. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The payload bytes, base64. */
  readonly data: string;
}

interface ResolvedConverter {
  readonly payloadConverter: PayloadConverter;
  readonly payloadCodecs: readonly PayloadCodec[];
}

const loadedConverters = new Map<string, Promise<PayloadConverter>>();

async function loadPayloadConverter(path: string): Promise<PayloadConverter> {
  let loaded = loadedConverters.get(path);
  if (!loaded) {
    loaded = import(path).then((module: { payloadConverter?: PayloadConverter }) => {
      if (!module.payloadConverter) throw new TypeError(`${path} has no "payloadConverter" export.`);
      return module.payloadConverter;
    });
    loadedConverters.set(path, loaded);
  }
  return loaded;
}

async function resolve(dataConverter: DataConverter | undefined): Promise<ResolvedConverter> {
  return {
    payloadConverter: dataConverter?.payloadConverterPath
      ? await loadPayloadConverter(dataConverter.payloadConverterPath)
      : defaultPayloadConverter,
    payloadCodecs: dataConverter?.payloadCodecs ?? [],
  };
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/**
 * Converts a value to a JSON payload with the data converter the worker uses: payload converter first,
 * then every payload codec in order (so encryption or compression covers the job data in SQS too).
 */
export async function encodeJsonPayload(value: unknown, dataConverter?: DataConverter): Promise<JsonPayload> {
  const { payloadConverter, payloadCodecs } = await resolve(dataConverter);
  let payloads: Payload[] = [payloadConverter.toPayload(value)];
  for (const codec of payloadCodecs) payloads = await codec.encode(payloads);
  const [payload] = payloads;
  if (!payload) throw new TypeError('A payload codec returned no payload for the job input.');
  const metadata = Object.create(null) as Record<string, string>;
  for (const [key, bytes] of Object.entries(payload.metadata ?? {})) metadata[key] = toBase64(bytes);
  return { metadata, data: toBase64(payload.data ?? new Uint8Array()) };
}

/** Reverses {@link encodeJsonPayload}: codecs in reverse order, then the payload converter. */
export async function decodeJsonPayload<T>(payload: JsonPayload, dataConverter?: DataConverter): Promise<T> {
  const { payloadConverter, payloadCodecs } = await resolve(dataConverter);
  // Null prototype: a "__proto__" key from the wire is an entry, not the object's prototype.
  const metadata = Object.create(null) as Record<string, Uint8Array>;
  for (const [key, text] of Object.entries(payload.metadata)) metadata[key] = fromBase64(text);
  let payloads: Payload[] = [{ metadata, data: fromBase64(payload.data) }];
  for (const codec of [...payloadCodecs].reverse()) payloads = await codec.decode(payloads);
  const [decoded] = payloads;
  if (!decoded) throw new TypeError('A payload codec returned no payload for the job input.');
  return payloadConverter.fromPayload<T>(decoded);
}
