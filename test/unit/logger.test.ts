import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, MAX_LOG_FIELD_CHARS } from '../../functions/runtime/logger';

describe('the functions’ logger', () => {
  const format = process.env.LOG_FORMAT;
  afterEach(() => {
    if (format === undefined) delete process.env.LOG_FORMAT;
    else process.env.LOG_FORMAT = format;
  });

  it('caps every string field, so an id of 1,000 control characters keeps the line short', () => {
    const lines: string[] = [];
    const log = createLogger({ workflowId: '\u0001'.repeat(1_000) }, (l) => lines.push(l)).child({
      job: 'j'.repeat(1_000),
      activityId: '\n'.repeat(1_000),
    });
    log.error('refused');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(4_096);
    const parsed = JSON.parse(lines[0]!) as Record<string, string>;
    expect(parsed.job!.startsWith('j'.repeat(MAX_LOG_FIELD_CHARS))).toBe(true);
    expect(parsed.job).toContain('(1000 characters)');
  });

  it('writes one line per entry in the pretty format too, quoting what could break it', () => {
    process.env.LOG_FORMAT = 'pretty';
    const lines: string[] = [];
    createLogger({}, (l) => lines.push(l)).warn('x', { workflowId: 'a\nINFO forged line', activityId: 'plain-1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).toContain('wf="a\\nINFO forged line"');
    expect(lines[0]).toContain('act=plain-1');
  });
});
