import type { DescMessage, DescMethodUnary, DescService, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { version as SDK_VERSION } from '@temporalio/common/package.json';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { WorkflowService } from '../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/service_pb';
import { decodeWire, encodeWire } from '../../jobs/temporal-api/wire';
import type { WireValue } from '../../jobs/temporal-api/wire';
import { WIRE_METHODS } from '../../jobs/temporal-api/wire-messages';
import type { WireMethod } from '../../jobs/temporal-api/wire-messages';
import type { MethodCodec } from './generated-codec';
import { GrpcChannel } from './grpc-channel';
import type { UnaryCallOptions } from './grpc-channel';

/** A unary method of a generated service as a function: the request (a message or its init shape) in, the response out. */
type UnaryFunction<M> =
  M extends DescMethodUnary<infer I, infer O>
    ? (request: MessageInitShape<I>, options?: UnaryCallOptions) => Promise<MessageShape<O>>
    : never;

/** A generated service's methods as functions, by their local (camelCase) names. */
export type ServiceClient<S extends DescService> = { [K in keyof S['method']]: UnaryFunction<S['method'][K]> };

/** The WorkflowService calls the functions make (the subset in `jobs/temporal-api/proto`). */
export type WorkflowServiceClient = ServiceClient<typeof WorkflowService>;

/** `temporal.api.workflowservice.v1.WorkflowService`: the calls' paths are `/<this>/<method>`. */
export const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';

/**
 * The methods of the subset's `service.proto`, by name (test/unit/proto-subset.test.ts checks that this is
 * the generated service's list, schemas included). Listed rather than read from the generated service, whose
 * module would load every request's descriptors at once.
 */
export const WORKFLOW_SERVICE_METHODS = [
  'DescribeNamespace',
  'GetSystemInfo',
  'RecordActivityTaskHeartbeat',
  'RecordActivityTaskHeartbeatById',
  'RespondActivityTaskCompleted',
  'RespondActivityTaskCompletedById',
  'RespondActivityTaskFailed',
  'RespondActivityTaskFailedById',
  'RespondActivityTaskCanceled',
  'RespondActivityTaskCanceledById',
  'StartWorkflowExecution',
  'GetWorkflowExecutionHistory',
  'SignalWithStartWorkflowExecution',
] as const;

/** One of {@link WORKFLOW_SERVICE_METHODS}. */
export type WorkflowServiceMethod = (typeof WORKFLOW_SERVICE_METHODS)[number];

/** The request and response schemas of a method. */
export interface MethodSchemas {
  readonly input: DescMessage;
  readonly output: DescMessage;
}

/**
 * The methods whose messages are encoded by protobuf-es' generated code, by generated file: loaded at a
 * method's first call. RespondActivityTaskFailed[ById] carry `Failure` and its nested types, which a cold start
 * that completes its jobs need not boot; the starter functions' calls are never made by process-jobs. Every
 * other method has a wire table ({@link WIRE_METHODS}), so no protobuf-es descriptor boots at cold start.
 */
const GENERATED_FILES = [
  {
    methods: ['RespondActivityTaskFailed', 'RespondActivityTaskFailedById'],
    load: () => import('../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/request_response_failed_pb'),
  },
  {
    methods: ['StartWorkflowExecution', 'GetWorkflowExecutionHistory', 'SignalWithStartWorkflowExecution'],
    load: () => import('../../jobs/temporal-api/gen/temporal/api/workflowservice/v1/request_response_start_pb'),
  },
] as const satisfies readonly { methods: readonly WorkflowServiceMethod[]; load: () => Promise<Record<string, unknown>> }[];

/** A method that {@link GENERATED_FILES} lists. */
export type GeneratedMethod = (typeof GENERATED_FILES)[number]['methods'][number];

/** Whether `method` is encoded by generated code (else by its wire table). */
export const isGeneratedMethod = (method: WorkflowServiceMethod): method is GeneratedMethod => !(method in WIRE_METHODS);

/** The generated schemas of a method of {@link GENERATED_FILES}, loading its file. */
export async function methodSchemas(method: GeneratedMethod): Promise<MethodSchemas> {
  const entry = GENERATED_FILES.find((f) => (f.methods as readonly string[]).includes(method));
  const file: Record<string, unknown> = entry ? await entry.load() : {};
  const input = file[`${method}RequestSchema`] as DescMessage | undefined;
  const output = file[`${method}ResponseSchema`] as DescMessage | undefined;
  if (!input || !output) throw new Error(`No generated schemas for WorkflowService.${method}: run npm run gen:proto.`);
  return { input, output };
}

const wireCodec = ({ input, output }: WireMethod): MethodCodec => ({
  encode: (request) => encodeWire(input, request as WireValue),
  decode: (bytes) => decodeWire(output, bytes),
});

/** protobuf-es' codec of a generated method: its file and the runtime are loaded at its first call. */
async function loadGeneratedCodec(method: GeneratedMethod): Promise<MethodCodec> {
  const [{ generatedCodec }, { input, output }] = await Promise.all([import('./generated-codec'), methodSchemas(method)]);
  return generatedCodec(input, output);
}

/**
 * Keepalive of the HTTP/2 connection, as Temporal's SDK sets it: a PING every 30 s while it is open, and
 * a connection that has not answered one within 15 s is dropped. After a freeze (Lambda between
 * invocations) the first call on a connection idle longer than the interval PINGs it too, so a connection
 * the network dropped meanwhile is found out and replaced.
 */
export const KEEPALIVE_INTERVAL_MS = 30_000;
/** How long a PING may go unanswered before the connection is dropped. */
export const KEEPALIVE_TIMEOUT_MS = 15_000;

/** Options of {@link openWorkflowService}. */
export interface WorkflowServiceOptions {
  /** `host:port` of the Temporal frontend. */
  readonly address: string;
  /** TLS settings; `true` for TLS with Node's roots. @default TLS when there is an API key, else plaintext */
  readonly tls?: TLSConfig | boolean;
  /** Read before every call, so a rotated key is sent from the next call on. @default no Authorization header */
  readonly apiKey?: string | (() => string);
  /** Extra gRPC metadata sent with every call. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** An open connection to Temporal's WorkflowService. */
export interface WorkflowServiceConnection {
  readonly service: WorkflowServiceClient;
  /** Closes the HTTP/2 connection; calls in flight fail. */
  close(): void;
}

const toBuffer = (value: Uint8Array | string | undefined): Buffer | undefined => (value === undefined ? undefined : Buffer.from(value));

/** Node's TLS options for a Temporal TLS config: custom root, client certificate (mTLS), server name. */
function tlsOptions(tls: TLSConfig | true) {
  if (tls === true) return {};
  return {
    ca: toBuffer(tls.serverRootCACertificate ?? undefined),
    cert: toBuffer(tls.clientCertPair?.crt),
    key: toBuffer(tls.clientCertPair?.key),
    servername: tls.serverNameOverride,
  };
}

/**
 * What Temporal's TypeScript SDK says it is: the server keys some behaviour to the client's name and version,
 * and the functions send what that SDK sends (its data and failure converters make the payloads).
 */
const CLIENT_HEADERS = { 'client-name': 'temporal-typescript', 'client-version': SDK_VERSION } as const;

/**
 * The headers of a call, as Temporal's SDK sets them: its name and version, the profile's metadata, the API
 * key as a bearer token (read at every call, so a rotated key is sent from the next call on), and
 * `temporal-namespace` with the request's namespace (Temporal Cloud routes API-key calls by it).
 */
function callHeaders(options: WorkflowServiceOptions, request: object): Record<string, string> {
  const headers: Record<string, string> = { ...CLIENT_HEADERS, ...options.metadata };
  const key = typeof options.apiKey === 'function' ? options.apiKey() : options.apiKey;
  if (key) headers.authorization = `Bearer ${key}`;
  const namespace = (request as { namespace?: unknown }).namespace;
  if (typeof namespace === 'string' && namespace) headers['temporal-namespace'] = namespace;
  return headers;
}

/**
 * Opens a gRPC (HTTP/2) connection to Temporal's WorkflowService that knows only the messages the functions
 * send, so loading it builds no descriptors of the rest of the Temporal API. TLS follows Temporal's rule:
 * on when configured, and by default when an API key is given. The connection itself is made lazily, at the
 * first call.
 */
export function openWorkflowService(options: WorkflowServiceOptions): WorkflowServiceConnection {
  const tls = options.tls ?? (options.apiKey !== undefined ? true : undefined);
  const useTls = tls !== undefined && tls !== false;
  const channel = new GrpcChannel({
    address: options.address,
    tls: useTls ? { ALPNProtocols: ['h2'], ...tlsOptions(tls) } : undefined,
    keepaliveIntervalMs: KEEPALIVE_INTERVAL_MS,
    keepaliveTimeoutMs: KEEPALIVE_TIMEOUT_MS,
  });
  const service = {} as Record<string, (request: object, callOptions?: UnaryCallOptions) => Promise<unknown>>;
  for (const method of WORKFLOW_SERVICE_METHODS) {
    const path = `/${WORKFLOW_SERVICE}/${method}`;
    const call = (codec: MethodCodec, request: object, callOptions: UnaryCallOptions | undefined): Promise<unknown> => {
      let bytes: Uint8Array;
      try {
        bytes = codec.encode(request);
      } catch (err) {
        return Promise.reject(err as Error);
      }
      return channel.unary(path, bytes, callHeaders(options, request), callOptions).then(codec.decode);
    };
    const local = method.charAt(0).toLowerCase() + method.slice(1);
    if (isGeneratedMethod(method)) {
      let codec: Promise<MethodCodec> | undefined;
      service[local] = async (request, callOptions) => {
        if (!codec) {
          // A file that failed to load is tried again at the next call.
          codec = loadGeneratedCodec(method);
          codec.catch(() => (codec = undefined));
        }
        return call(await codec, request, callOptions);
      };
    } else {
      // Encoded by its wire table: no await before the call, nothing loaded at its first use.
      const codec = wireCodec(WIRE_METHODS[method]);
      service[local] = (request, callOptions) => call(codec, request, callOptions);
    }
  }
  return { service: service as unknown as WorkflowServiceClient, close: () => channel.close() };
}
