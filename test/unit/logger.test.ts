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

  it('writes the same JSON line, key for key and in order, whether a line splices in its logger fields or is built whole', () => {
    const lines: string[] = [];
    const cases: [Record<string, unknown>, Record<string, unknown>, Record<string, unknown> | undefined][] = [
      [{}, {}, undefined],
      [{ function: 'f' }, { messageId: 'm', receiveCount: 2 }, undefined],
      [{ function: 'f' }, { workflowId: 'w', attempt: 1 }, { error: 'E', reason: 'r'.repeat(300) }],
      // a line field repeating a logger field overrides it in place, and an undefined one drops it
      [{ function: 'f' }, { workflowId: 'w', attempt: 1 }, { attempt: 3, workflowId: undefined }],
      // fields named like the line's own keys override them, as a spread would
      [{ message: 'from base' }, { job: 'j' }, { level: 'custom', timestamp: 't' }],
      [{ function: 'f' }, {}, { message: 'from fields' }],
      [{ nested: { a: [1, 'x'] }, flag: true, nothing: null }, { skipped: undefined }, { n: 1.5 }],
    ];
    for (const [base, child, fields] of cases) {
      lines.length = 0;
      const log = createLogger(base, (l) => lines.push(l)).child(child);
      log.error('first', fields);
      log.warn('second "quoted" \u2028', fields);
      expect(lines).toHaveLength(2);
      for (const [i, line] of lines.entries()) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        const capped = Object.fromEntries(
          Object.entries({ ...base, ...child, ...fields }).map(([k, v]) => [
            k,
            typeof v === 'string' && v.length > MAX_LOG_FIELD_CHARS ? parsed[k] : v,
          ]),
        );
        const expected = JSON.parse(
          JSON.stringify({
            level: i === 0 ? 'ERROR' : 'WARN',
            message: i === 0 ? 'first' : 'second "quoted" \u2028',
            timestamp: parsed.timestamp,
            ...capped,
          }),
        ) as Record<string, unknown>;
        expect(Object.keys(parsed), JSON.stringify([base, child, fields])).toEqual(Object.keys(expected));
        expect(parsed).toEqual(expected);
      }
    }
  });
});
