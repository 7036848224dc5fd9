import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../project-root';
import { stopChild } from './child-process';
import { freePort, startOnPickedPorts } from './free-port';
import { adoptChild } from './process-reaper';
import type { LocalSqsServer } from './sqs-server';

const run = promisify(execFile);

/** ElasticMQ release the project runs; the `_2.13` server artifact of `org.elasticmq`. */
export const ELASTICMQ_VERSION = '1.7.1';

/** Maven coordinates of the ElasticMQ server. */
export const ELASTICMQ_ARTIFACT = `org.elasticmq:elasticmq-server_2.13:${ELASTICMQ_VERSION}`;

/** Class the server's jar names as its entry point. */
const MAIN_CLASS = 'org.elasticmq.server.Main';

/** Folder holding ElasticMQ's jars (its `lib/`); git-ignored. Override with `ELASTICMQ_DIR`. */
export function elasticMqDir(): string {
  return process.env.ELASTICMQ_DIR ?? join(PROJECT_ROOT, '.tools', `elasticmq-${ELASTICMQ_VERSION}`);
}

/** Thrown when ElasticMQ cannot be fetched or started; says what is missing. */
export class ElasticMqUnavailableError extends Error {
  override readonly name = 'ElasticMqUnavailableError';
}

/** A throw-away Maven project whose only purpose is to resolve the server and everything it depends on. */
function fetchPom(): string {
  const [groupId, artifactId, version] = ELASTICMQ_ARTIFACT.split(':');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.temporal-lambda-async</groupId>
  <artifactId>elasticmq-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>
  </dependencies>
</project>
`;
}

async function hasJars(lib: string): Promise<boolean> {
  if (!existsSync(lib)) return false;
  const files = await readdir(lib);
  return files.some((f) => f.startsWith(`elasticmq-server_2.13-${ELASTICMQ_VERSION}`));
}

/**
 * Makes sure ElasticMQ's jars are in {@link elasticMqDir} (`lib/`), fetching them once with Maven
 * (`dependency:copy-dependencies` of {@link ELASTICMQ_ARTIFACT}); a second call finds the cache and returns.
 *
 * @returns the folder of jars, for `java -cp '<lib>/*'`
 * @throws ElasticMqUnavailableError when Maven is missing or the fetch fails
 */
export async function ensureElasticMq(log: (line: string) => void = () => undefined): Promise<string> {
  const dir = elasticMqDir();
  const lib = join(dir, 'lib');
  if (await hasJars(lib)) return lib;
  log(`Fetching ElasticMQ ${ELASTICMQ_VERSION} (${ELASTICMQ_ARTIFACT}) with Maven into ${lib} (first run only)…`);
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'elasticmq-fetch-'));
  // Copy into a sibling folder and rename at the end, so an interrupted fetch never looks like a cache.
  const partial = join(dir, `lib.partial-${process.pid}`);
  try {
    await writeFile(join(work, 'pom.xml'), fetchPom());
    await run(
      'mvn',
      ['-q', '-B', '-f', join(work, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${partial}`],
      { timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    await rm(lib, { recursive: true, force: true });
    await rename(partial, lib);
  } catch (err) {
    // Another process may have finished the same fetch first; its copy is as good as ours.
    if (await hasJars(lib)) return lib;
    throw new ElasticMqUnavailableError(
      `Could not fetch ElasticMQ with Maven (${(err as Error).message.split('\n')[0]}). ` +
        `Install Maven and Java ≥ 11, or put the jars of ${ELASTICMQ_ARTIFACT} and its dependencies in ${lib}.`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
    await rm(partial, { recursive: true, force: true });
  }
  return lib;
}

/** Options of {@link startElasticMqServer}. */
export interface ElasticMqServerOptions {
  /** Port of the SQS endpoint. @default a free port */
  readonly port?: number;
  /** Longest to wait for the server to answer. @default 60000 */
  readonly startTimeoutMs?: number;
  /** Where progress lines go. @default nowhere */
  readonly log?: (line: string) => void;
}

/** A running ElasticMQ server; an SQS endpoint like the embedded fauxqs one. */
export interface ElasticMqServer extends LocalSqsServer {
  /** The JVM's process id. */
  readonly pid: number | undefined;
}

/**
 * The server's configuration: SQS on loopback only, queue URLs carrying the address the server really
 * answers on, an AWS-looking region and account (so queue ARNs parse as the SDK and the redrive policy expect),
 * SQS's strict limits (in ElasticMQ 1.7: a body of at most 1 MiB, whatever the queue's `MaximumMessageSize`), and the statistics endpoint off so nothing else binds a port.
 */
function configFile(port: number, marker: string): string {
  return `include classpath("application.conf")
node-address { protocol = "http", host = "127.0.0.1", port = ${port}, context-path = "" }
rest-sqs { enabled = true, bind-port = ${port}, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
generate-node-address = false
aws { region = "us-east-1", accountId = "000000000000" }
queues { "${marker}" {} }
`;
}

/** One query-protocol call; the answer's text when it is 200, else undefined (no server, another server, not ready). */
async function call(endpoint: string, body: string): Promise<string | undefined> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The marker queue's URL when the server on `endpoint` is the one started here (it knows the queue named only in
 * its configuration), else undefined. Another server that took the port first answers too, but not for that queue.
 */
async function isOurs(endpoint: string, marker: string): Promise<string | undefined> {
  const answer = await call(endpoint, `Action=GetQueueUrl&QueueName=${marker}`);
  return answer === undefined ? undefined : /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(answer)?.[1];
}

/**
 * Starts ElasticMQ (fetched by {@link ensureElasticMq}) with this machine's `java` on a loopback port, its
 * configuration written to a temporary folder, and waits until it answers SQS calls as itself (it knows a queue
 * named only in its configuration, deleted once seen), so another server that holds the port is never taken for
 * it. A port picked here that turns out taken is picked again (three tries); a port given in `options` is not.
 *
 * @example
 * ```ts
 * const server = await startElasticMqServer();
 * process.env.AWS_ENDPOINT_URL_SQS = server.endpoint;
 * // …
 * await server.stop();
 * ```
 * @throws ElasticMqUnavailableError when Java or the jars are missing, the port is taken, or the server does not come up
 */
export async function startElasticMqServer(options: ElasticMqServerOptions = {}): Promise<ElasticMqServer> {
  const lib = await ensureElasticMq(options.log);
  // The JVM logs a failed bind and keeps running: it is stopped at that error, and started again on another port.
  return startOnPickedPorts({
    fixedPort: options.port,
    start: async () => startOn(lib, options.port ?? (await freePort()), options),
    portTaken: (err) => err instanceof PortTakenError,
    onRetry: (err) => options.log?.(`ElasticMQ could not bind port ${(err as PortTakenError).port}; starting it again on another`),
  });
}

/** The server could not bind its port: another process holds it. */
class PortTakenError extends ElasticMqUnavailableError {
  constructor(
    readonly port: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the JVM logs when the port is taken (`java.net.BindException: Address already in use`). */
const BIND_FAILED = /BindException|Address already in use/i;

async function startOn(lib: string, port: number, options: ElasticMqServerOptions): Promise<ElasticMqServer> {
  const work = await mkdtemp(join(tmpdir(), 'elasticmq-'));
  const config = join(work, 'elasticmq.conf');
  const marker = `start-marker-${randomBytes(8).toString('hex')}`;
  await writeFile(config, configFile(port, marker));
  const child = spawn(
    process.env.JAVA ?? 'java',
    ['-XX:+UseSerialGC', '-Xmx512m', `-Dconfig.file=${config}`, '-cp', `${lib}/*`, MAIN_CLASS],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  adoptChild(child);
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-10_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child, 5_000);
    await rm(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let failure: ElasticMqUnavailableError | undefined;
  for (;;) {
    const error = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 250, undefined))]);
    if (error) {
      failure = new ElasticMqUnavailableError(`java could not be started (${error.message}); install Java ≥ 11 or set JAVA`);
      break;
    }
    // ElasticMQ logs a failed bind and keeps running, so its output says so before anything else would.
    if (BIND_FAILED.test(output)) {
      failure = new PortTakenError(port, `ElasticMQ could not listen: port ${port} is taken: ${output.slice(-2000)}`);
      break;
    }
    if (child.exitCode !== null) {
      failure = new ElasticMqUnavailableError(`ElasticMQ exited with code ${child.exitCode}: ${output.slice(-2000)}`);
      break;
    }
    const markerUrl = await isOurs(endpoint, marker);
    if (markerUrl) {
      // It served its purpose; a queue list shows only what the stack creates.
      await call(endpoint, `Action=DeleteQueue&QueueUrl=${encodeURIComponent(markerUrl)}`);
      break;
    }
    if (Date.now() > deadline) {
      failure = new ElasticMqUnavailableError(`ElasticMQ on ${endpoint} did not answer in time: ${output.slice(-2000)}`);
      break;
    }
  }
  if (failure) {
    await stop();
    throw failure;
  }
  options.log?.(`SQS (ElasticMQ ${ELASTICMQ_VERSION}) on ${endpoint}`);
  return { endpoint, pid: child.pid, stop };
}
