/**
 * `npm run setup` (run by `npm test`): installs, once, what the tests need beyond npm packages, each from the
 * project's own files — the Temporal CLI (Go build), the Python tools of requirements-dev.txt (cfn-lint,
 * moto), ElasticMQ (Maven) and the Lambda runtime's Node.js. A second run finds everything cached.
 * `npm start` and `npm run dev` need only the Temporal CLI, which they install on demand.
 */
import { execFileSync } from 'node:child_process';
import { ensureElasticMq } from '../infra/local/elasticmq-server';
import { ensureLambdaNode } from '../infra/local/lambda-node';
import { ensureTemporalCli } from '../infra/local/temporal-cli';

const say = (line: string): void => console.log(`[setup] ${line}`);

async function step(name: string, action: () => unknown): Promise<void> {
  const started = Date.now();
  const result = await action();
  say(`${name}: ${typeof result === 'string' ? result : 'ready'} (${Date.now() - started} ms)`);
}

await step('Temporal CLI', () => ensureTemporalCli(say));
await step('Python tools (cfn-lint, moto)', () => {
  execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', 'requirements-dev.txt'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
  });
});
await step('ElasticMQ', () => ensureElasticMq(say));
await step('Node.js for the Lambda runtime', () => ensureLambdaNode(say));
