import { capForLog } from '../../jobs/log-safe';

/** Log levels in increasing severity. */
export const LogLevel = { debug: 10, info: 20, warn: 30, error: 40 } as const;
/** One of {@link LogLevel}'s keys. */
export type LogLevelName = keyof typeof LogLevel;

/** Fields every job log line carries; never the task token, secrets or payload contents. */
export interface LogFields {
  readonly workflowId?: string;
  readonly activityId?: string;
  readonly attempt?: number;
  readonly job?: string;
  readonly [key: string]: unknown;
}

/** A structured logger that writes one JSON object per line (Powertools Logger's shape). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

function levelFromEnv(): LogLevelName {
  const raw = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info').toLowerCase();
  return raw in LogLevel ? (raw as LogLevelName) : 'info';
}

/** Output format: JSON lines (Lambda, CloudWatch) or one readable line (a terminal). */
export type LogFormat = 'json' | 'pretty';

function formatFromEnv(): LogFormat {
  return process.env.LOG_FORMAT === 'pretty' ? 'pretty' : 'json';
}

const SHORT_KEYS: Readonly<Record<string, string>> = { workflowId: 'wf', activityId: 'act', messageId: 'msg' };

function prettyLine(level: LogLevelName, message: string, fields: Record<string, unknown>): string {
  const time = new Date().toISOString().slice(11, 23);
  const pairs = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    // Strings with spaces, quotes or control characters are quoted and escaped, so one entry stays one line.
    .map(
      ([k, v]) => `${SHORT_KEYS[k] ?? k}=${typeof v === 'string' && /^[\x21-\x7e]*$/.test(v) && !v.includes('"') ? v : JSON.stringify(v)}`,
    )
    .join(' ');
  return `${time} ${level.toUpperCase().padEnd(5)} ${message}${pairs ? `  ${pairs}` : ''}`;
}

/**
 * Longest string field a log line carries, in characters. Ids may legitimately be 1,000 characters (Temporal's limit) and
 * come from the message: capped, a line stays a line, whatever a producer sends.
 */
export const MAX_LOG_FIELD_CHARS = 128;

function capStrings(fields: Record<string, unknown>): Record<string, unknown> {
  const capped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields))
    capped[key] = typeof value === 'string' ? capForLog(value, MAX_LOG_FIELD_CHARS) : value;
  return capped;
}

/**
 * Creates a logger: JSON lines by default, one readable line each with `LOG_FORMAT=pretty`. Level comes from `POWERTOOLS_LOG_LEVEL` or `LOG_LEVEL`.
 * @default level `info`, format `json`, writes to stdout (`console.log`, which Lambda ships to CloudWatch)
 */
export function createLogger(base: LogFields = {}, write: (line: string) => void = (l) => console.log(l)): Logger {
  return loggerWith(base, write, LogLevel[levelFromEnv()], formatFromEnv());
}

/** Keys every JSON line starts with; fields of these names take the slow path, which lets them override. */
const LINE_KEYS = new Set(['level', 'message', 'timestamp']);

/** `{"a":1,"b":2}` → `,"a":1,"b":2` (or `''`): fields serialized once, to splice into each line. */
function jsonFragment(fields: Record<string, unknown>): string {
  const json = JSON.stringify(capStrings(fields));
  return json.length > 2 ? `,${json.slice(1, -1)}` : '';
}

/**
 * A logger of fixed level and format; its children share them, so a record's child loggers read no environment.
 * JSON lines splice in the logger's own fields serialized once (at its first line), so a record's lines cost
 * one `JSON.stringify` of the message and of the line's own fields; a line whose fields repeat a logger field
 * or a line key is built whole, with the same result.
 */
function loggerWith(base: LogFields, write: (line: string) => void, threshold: number, format: LogFormat): Logger {
  let baseFragment: string | undefined;
  const spliceable = !Object.keys(base).some((key) => LINE_KEYS.has(key));
  const wholeLine = (level: LogLevelName, message: string, fields?: LogFields): string =>
    JSON.stringify({ level: level.toUpperCase(), message, timestamp: new Date().toISOString(), ...capStrings({ ...base, ...fields }) });
  const jsonLine = (level: LogLevelName, message: string, fields?: LogFields): string => {
    const head = `{"level":"${level.toUpperCase()}","message":${JSON.stringify(message)},"timestamp":"${new Date().toISOString()}"`;
    baseFragment ??= jsonFragment(base);
    if (fields === undefined) return `${head}${baseFragment}}`;
    for (const key in fields) {
      if (LINE_KEYS.has(key) || Object.hasOwn(base, key)) return wholeLine(level, message, fields);
    }
    return `${head}${baseFragment}${jsonFragment(fields)}}`;
  };
  const emit = (level: LogLevelName, message: string, fields?: LogFields): void => {
    if (LogLevel[level] < threshold) return;
    if (format === 'pretty') write(prettyLine(level, message, capStrings({ ...base, ...fields })));
    else write(spliceable ? jsonLine(level, message, fields) : wholeLine(level, message, fields));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => loggerWith({ ...base, ...fields }, write, threshold, format),
  };
}
