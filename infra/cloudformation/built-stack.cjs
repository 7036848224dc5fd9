// Read by serverless.yml as ${file(./infra/cloudformation/built-stack.cjs):<path>}: the stack resources that
// `npm run build` generated from jobs/queues.json (scripts/build-stack.ts). CommonJS because that is what
// osls's file variable source loads; it only reads JSON, so it needs no TypeScript.
'use strict';

const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const GENERATED = path.join(__dirname, '..', '..', '.build', 'infra', 'stack.json');

module.exports = () => {
  if (!existsSync(GENERATED)) {
    throw new Error(
      `${path.relative(process.cwd(), GENERATED)} does not exist: run "npm run build" first ` +
        '(npm run package and npm run deploy do it for you).',
    );
  }
  return JSON.parse(readFileSync(GENERATED, 'utf8'));
};
