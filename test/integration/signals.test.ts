/**
 * Nothing outlives `npm run dev` or `npm start`, however they are stopped: each runs as a user or a process
 * manager runs it, through npm, in a process group of its own, and is signalled the way a terminal
 * (Ctrl-C: SIGINT to the group; closing it: SIGHUP) or a process manager (SIGTERM to npm; SIGKILL) would.
 * Every process it had started, found by walking /proc, must then be gone and its ports free.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { exited } from '../../infra/local/child-process';
import { ensureTemporalCli } from '../../infra/local/temporal-cli';
import { DEMO_WORKFLOW, TASK_QUEUE } from '../../worker/constants';
import { descendantsOf, isAlive, waitUntilGone } from '../helpers/process-tree';
import type { ProcessInfo } from '../helpers/process-tree';

const run = promisify(execFile);

const TEMPORAL_SERVER = /temporal\S* server start-dev/;
const WORKER = /\.build\/worker\/main\.mjs/;
/** A local Lambda container: the bundled bootstrap run by the Lambda-version node (infra/local/container-bootstrap.ts). */
const CONTAINER = /\/\.build\/local\/runtime\/bootstrap\.mjs/;
const REAPER = /process-reaper-main\.cjs/;
/** The local SQS endpoint: fauxqs in a process of its own (infra/local/fauxqs-process.ts). */
const SQS_SERVER = /fauxqs-process/;

/** An `npm run …` in a process group of its own (the group id is npm's pid), its output collected. */
interface NpmRun {
  readonly npm: ChildProcess;
  readonly pid: number;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

const started: NpmRun[] = [];
const seen = new Set<number>();

function npmRun(args: readonly string[]): NpmRun {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'pretty' };
  // The test run's own servers are in the environment; the scripts must start theirs.
  for (const name of ['TEMPORAL_ADDRESS', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL']) delete env[name];
  const npm = spawn('npm', ['run', ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  npm.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  npm.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const launched: NpmRun = {
    npm,
    pid: npm.pid ?? -1,
    output: () => output,
    waitFor: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (Date.now() > deadline || npm.exitCode !== null)
          throw new Error(`no ${pattern} in the output of npm ${args.join(' ')}:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
  started.push(launched);
  return launched;
}

/** Every descendant of npm now, remembered for the clean-up should the test fail. */
function snapshot(launched: NpmRun): ProcessInfo[] {
  const tree = descendantsOf(launched.pid);
  for (const p of tree) seen.add(p.pid);
  return tree;
}

/** Checks that the tree is what it must be before a signal, so that "everything is gone" cannot pass vacuously. */
function expectFullTree(launched: NpmRun, tree: readonly ProcessInfo[], script: string): ProcessInfo {
  const commands = tree.map((p) => p.command);
  const expected = { 'the Temporal server': TEMPORAL_SERVER, 'the worker': WORKER, 'the process reaper': REAPER };
  for (const [what, pattern] of Object.entries(expected)) {
    expect(
      commands.some((c) => pattern.test(c)),
      `${what} among:\n${commands.join('\n')}`,
    ).toBe(true);
  }
  // `exec`: npm's own child is node running the script, with no shell or wrapper in between to swallow a signal.
  const scriptProcess = tree.find((p) => p.ppid === launched.pid);
  expect(scriptProcess?.command).toMatch(new RegExp(`^\\S*node --import tsx scripts/${script}\\.ts`));
  return scriptProcess as ProcessInfo;
}

/** Ports printed by `npm run dev`: Temporal's gRPC frontend, its Web UI and the SQS endpoint. */
function devPorts(output: string): number[] {
  const ports = [/Temporal\s+127\.0\.0\.1:(\d+)/, /Temporal Web UI http:\/\/127\.0\.0\.1:(\d+)/, /SQS\s+http:\/\/127\.0\.0\.1:(\d+)/].map(
    (re) => Number(re.exec(output)?.[1]),
  );
  expect(ports.every((port) => port > 0)).toBe(true);
  return ports;
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveCheck(false);
    });
    socket.once('error', () => resolveCheck(true));
  });
}

async function expectAllGone(tree: readonly ProcessInfo[], ports: readonly number[], withinMs: number): Promise<void> {
  const left = await waitUntilGone(
    tree.map((p) => p.pid),
    withinMs,
  );
  expect(tree.filter((p) => left.includes(p.pid)).map((p) => `${p.pid} ${p.command}`)).toEqual([]);
  // A multi-threaded process (the Go-built Temporal server) shows as a zombie once its main thread has exited,
  // and its sockets close only when the last thread has: allow that moment, never more than the same bound.
  const deadline = Date.now() + withinMs;
  for (const port of ports) {
    let refused = await refusesConnections(port);
    while (!refused && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      refused = await refusesConnections(port);
    }
    expect(refused, `port ${port}`).toBe(true);
  }
}

async function runJob(address: string): Promise<void> {
  const cli = await ensureTemporalCli();
  const { stdout } = await run(
    cli,
    ['workflow', 'execute', '--address', address, '--task-queue', TASK_QUEUE, '--type', DEMO_WORKFLOW].concat([
      '--workflow-id',
      `signals-${Date.now()}`,
      '--input',
      '{"name":"Ada"}',
    ]),
    { timeout: 60_000 },
  );
  expect(stdout).toContain('Hello, Ada!');
}

afterEach(async () => {
  for (const { npm, pid } of started.splice(0)) {
    if (npm.exitCode === null && npm.signalCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
      await exited(npm);
    }
  }
  for (const pid of [...seen].filter(isAlive)) process.kill(pid, 'SIGKILL');
  seen.clear();
});

describe('npm run dev stops everything it started', () => {
  const cases = [
    {
      how: 'SIGTERM to the npm process (a process manager)',
      send: (dev: NpmRun) => process.kill(dev.pid, 'SIGTERM'),
      announced: /\[dev\] SIGTERM: stopping/,
      npmExit: { code: 0, signal: null },
    },
    {
      how: 'SIGINT to the process group (Ctrl-C)',
      send: (dev: NpmRun) => process.kill(-dev.pid, 'SIGINT'),
      announced: /\[dev\] SIGINT: stopping/,
      npmExit: { code: 0, signal: null },
    },
    {
      // npm dies of SIGHUP without passing it on; the script notices that its parent is gone.
      how: 'SIGHUP to the npm process (terminal closed)',
      send: (dev: NpmRun) => process.kill(dev.pid, 'SIGHUP'),
      announced: /\[dev\] parent gone: stopping/,
      npmExit: { code: null, signal: 'SIGHUP' },
    },
  ];

  it.each(cases)(
    'on $how',
    async ({ send, announced, npmExit }) => {
      const dev = npmRun(['dev']);
      await dev.waitFor(/watching functions/, 120_000);
      const ports = devPorts(dev.output());
      const tree = snapshot(dev);
      const script = expectFullTree(dev, tree, 'dev');

      send(dev);
      await exited(dev.npm);
      expect({ code: dev.npm.exitCode, signal: dev.npm.signalCode }).toEqual(npmExit);
      await expectAllGone(tree, ports, 30_000);
      expect(isAlive(script.pid)).toBe(false);
      expect(dev.output()).toMatch(announced);
      expect(dev.output()).toMatch(/\[dev\] stopped/);
    },
    180_000,
  );

  it('on SIGKILL of the script: the reaper kills the Temporal server, the worker and the containers, a frozen one too', async () => {
    const dev = npmRun(['dev']);
    await dev.waitFor(/watching functions/, 120_000);
    const ports = devPorts(dev.output());
    await runJob(`127.0.0.1:${ports[0]}`);
    const tree = snapshot(dev);
    const script = expectFullTree(dev, tree, 'dev');
    const containers = tree.filter((p) => CONTAINER.test(p.command));
    expect(containers.length).toBeGreaterThan(0);
    // A stopped process ignores SIGTERM until SIGCONT; only SIGKILL ends it.
    process.kill((containers[0] as ProcessInfo).pid, 'SIGSTOP');

    process.kill(script.pid, 'SIGKILL');
    await expectAllGone(tree, ports, 5_000);
    await exited(dev.npm);
    expect(dev.output()).not.toMatch(/\[dev\] stopped/);
  }, 180_000);

  it('when the stop hangs: it exits after its 20 s bound anyway and the reaper ends what is left', async () => {
    const dev = npmRun(['dev']);
    await dev.waitFor(/watching functions/, 120_000);
    const ports = devPorts(dev.output());
    const tree = snapshot(dev);
    const script = expectFullTree(dev, tree, 'dev');
    // A stopped process ignores SIGTERM, so each graceful stop waits out its grace before SIGKILL: the worker
    // 15 s, the SQS server 5 s, the Temporal server 10 s — 30 s in all, past the shipped 20 s bound.
    const hanging = tree.filter((p) => [WORKER, SQS_SERVER, TEMPORAL_SERVER].some((re) => re.test(p.command)));
    expect(hanging.map((p) => p.command).join('\n')).toMatch(SQS_SERVER);
    for (const p of hanging) process.kill(p.pid, 'SIGSTOP');

    process.kill(dev.pid, 'SIGTERM');
    await exited(dev.npm);
    expect({ code: dev.npm.exitCode, signal: dev.npm.signalCode }, dev.output()).toEqual({ code: 0, signal: null });
    expect(dev.output()).toMatch(/\[dev\] stopped: not all had stopped after 20 s, the process reaper ends the rest/);
    expect(isAlive(script.pid)).toBe(false);
    await expectAllGone(tree, ports, 10_000);
  }, 180_000);

  it('on SIGTERM during start-up: it exits 143 at once and what had started dies with it', async () => {
    const dev = npmRun(['dev']);
    const address = (await dev.waitFor(/Temporal dev server on (127\.0\.0\.1:\d+)/, 120_000))[1] as string;
    const tree = snapshot(dev);
    expect(tree.some((p) => TEMPORAL_SERVER.test(p.command) && p.pgid === p.pid)).toBe(true);

    process.kill(dev.pid, 'SIGTERM');
    await exited(dev.npm);
    expect(dev.npm.exitCode, dev.output()).toBe(143);
    await expectAllGone(tree, [Number(address.split(':')[1])], 5_000);
    expect(dev.output()).toMatch(/\[dev\] SIGTERM during start-up: exiting/);
  }, 180_000);
});

describe('npm start stops everything it started', () => {
  it('on SIGTERM to the npm process mid-run: the demo stops its stack and exits 143', async () => {
    const demo = npmRun(['start', '--', '--jobs', '200', '--quiet']);
    let tree: ProcessInfo[] = [];
    const deadline = Date.now() + 120_000;
    while (!tree.some((p) => CONTAINER.test(p.command))) {
      expect(Date.now() < deadline && demo.npm.exitCode === null, `no container started:\n${demo.output()}`).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
      tree = snapshot(demo);
    }
    expectFullTree(demo, tree, 'start');

    process.kill(demo.pid, 'SIGTERM');
    await exited(demo.npm);
    expect(demo.npm.exitCode, demo.output()).toBe(143);
    await expectAllGone(tree, [], 30_000);
    expect(demo.output()).toMatch(/SIGTERM: stopping the demo/);
  }, 180_000);
});
