import type { LogFields, Logger, LogLevelName } from '../../functions/runtime/logger';

/** One line a {@link RecordingLogger} received. */
export interface RecordedLine {
  readonly level: LogLevelName;
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger for the functions that keeps every line, whatever `LOG_LEVEL` says, for a test to inspect. */
export interface RecordingLogger extends Logger {
  /** Every line so far, children's included, in order. */
  readonly lines: readonly RecordedLine[];
  /** The lines of one level. */
  at(level: LogLevelName): RecordedLine[];
  /** Every line as the JSON the real logger would write, to search for leaked secrets. */
  text(): string;
}

/** Creates a {@link RecordingLogger}; pass it as `createSqsJobHandler({ logger })`. */
export function recordingLogger(): RecordingLogger {
  const lines: RecordedLine[] = [];
  const make = (base: LogFields): Logger => {
    const emit = (level: LogLevelName) => (message: string, fields?: LogFields) => {
      lines.push({ level, message, fields: { ...base, ...fields } });
    };
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return Object.assign(make({}), {
    lines,
    at: (level: LogLevelName) => lines.filter((l) => l.level === level),
    text: () => lines.map((l) => JSON.stringify({ level: l.level, message: l.message, ...l.fields })).join('\n'),
  });
}
