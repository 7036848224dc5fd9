/**
 * The fauxqs SQS emulator as a process of its own, started by `sqs-server.ts` with the Lambda runtime's
 * Node.js (fauxqs 2 needs Node ≥ 22.5 for `node:sqlite`, whatever Node the developer's shell runs). Run
 * without a loader: Node strips the types of this file itself, so it uses erasable syntax only and imports
 * nothing of ours.
 *
 * It prints one line, `{"port":<n>}`, once it listens on a free loopback port, and exits when its stdin
 * closes: the parent holds the other end, so the emulator goes with its parent, however that ends.
 */
import { startFauxqs } from 'fauxqs';

const server = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
// Ctrl-C reaches the whole process group; the parent decides when the emulator stops.
process.on('SIGINT', () => undefined);
