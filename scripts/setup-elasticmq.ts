/**
 * `npm run setup:elasticmq`: fetches ElasticMQ (the second SQS implementation the SQS-facing tests run on)
 * into `.tools/` with Maven, once, and checks that Java can start it. A second run finds the cache.
 */
import { ensureElasticMq, startElasticMqServer } from '../infra/local/elasticmq-server';

const started = Date.now();
const lib = await ensureElasticMq((line) => console.log(line));
const server = await startElasticMqServer();
await server.stop();
console.log(`ElasticMQ ready: ${lib} (${Date.now() - started} ms)`);
