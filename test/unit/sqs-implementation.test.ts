import { describe, expect, it } from 'vitest';
import { ELASTICMQ_ARTIFACT, elasticMqDir } from '../../infra/local/elasticmq-server';
import { SqsImplementation, sqsImplementationFromEnv } from '../../infra/local/sqs-implementation';

describe('the SQS_IMPL switch', () => {
  it.each([
    [undefined, SqsImplementation.Fauxqs],
    ['', SqsImplementation.Fauxqs],
    ['fauxqs', SqsImplementation.Fauxqs],
    ['elasticmq', SqsImplementation.ElasticMq],
    [' ElasticMQ ', SqsImplementation.ElasticMq],
  ])('SQS_IMPL=%j → %s', (value, expected) => {
    expect(sqsImplementationFromEnv({ SQS_IMPL: value })).toBe(expected);
  });

  it('refuses an implementation it does not know, naming the ones it does', () => {
    expect(() => sqsImplementationFromEnv({ SQS_IMPL: 'localstack' })).toThrow(/fauxqs, elasticmq/);
  });

  it('caches ElasticMQ under .tools/ unless ELASTICMQ_DIR says otherwise', () => {
    expect(ELASTICMQ_ARTIFACT).toMatch(/^org\.elasticmq:elasticmq-server_2\.13:\d+\.\d+\.\d+$/);
    const before = process.env.ELASTICMQ_DIR;
    try {
      delete process.env.ELASTICMQ_DIR;
      expect(elasticMqDir()).toMatch(/\/\.tools\/elasticmq-\d+\.\d+\.\d+$/);
      process.env.ELASTICMQ_DIR = '/tmp/somewhere';
      expect(elasticMqDir()).toBe('/tmp/somewhere');
    } finally {
      if (before === undefined) delete process.env.ELASTICMQ_DIR;
      else process.env.ELASTICMQ_DIR = before;
    }
  });
});
