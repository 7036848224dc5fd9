import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stopChild } from './child-process';
import { ensureLambdaNode } from './lambda-node';
import { adoptChild } from './process-reaper';

const FAUXQS_PROCESS = fileURLToPath(new URL('./fauxqs-process.ts', import.meta.url));

/** A running local SQS endpoint. */
export interface LocalSqsServer {
  /** `http://127.0.0.1:port`, for `AWS_ENDPOINT_URL_SQS`. */
  readonly endpoint: string;
  /** pid of the emulator's process. */
  readonly pid: number | undefined;
  /** Stops the server. */
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (an SQS emulator with visibility timeouts, long polling and DLQ redrive) on a free loopback
 * port, in a process of its own under the Lambda runtime's Node.js (see `fauxqs-process.ts`), and resolves
 * once it listens. The process exits by itself when this one goes.
 * @throws Error with the emulator's output when it does not start within 30 s
 */
export async function startLocalSqsServer(): Promise<LocalSqsServer> {
  const node = join(ensureLambdaNode(), 'node');
  // It also exits when its stdin closes, but not while stopped (SIGSTOP): the reaper covers that.
  const child = adoptChild(spawn(node, [FAUXQS_PROCESS], { stdio: ['pipe', 'pipe', 'pipe'] }));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let onEarlyExit: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`fauxqs did not start within 30 s: ${stderr}`)), 30_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`fauxqs could not start (${why}): ${stderr || 'no output'}. Run "npm ci" (fauxqs is a devDependency).`));
    };
    child.once('error', (err) => fail(err.message));
    onEarlyExit = (code, signal) => fail(`exited with ${signal ?? code}`);
    child.once('exit', onEarlyExit);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolvePort((JSON.parse(line) as { port: number }).port);
      } catch {
        reject(new Error(`fauxqs printed "${line}" instead of its port.`));
      }
    });
  });
  if (onEarlyExit) child.off('exit', onEarlyExit);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      child.stdin.end();
      await stopChild(child, 5_000);
    },
  };
}
