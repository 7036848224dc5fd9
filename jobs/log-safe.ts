/** Longest text of a message-supplied value that may reach a log line or an error message. */
export const MAX_ECHO_CHARS = 80;

/**
 * Describes a value that came off the wire for an error message or a log line: its type for objects and
 * arrays (never their contents, so a deeply nested or huge value cannot blow the stack or the log), and for
 * scalars a JSON rendering capped at {@link MAX_ECHO_CHARS} characters, so quotes and control characters
 * are escaped.
 */
export function describeForLog(value: unknown): string {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    const shown = value.length > MAX_ECHO_CHARS ? `${value.slice(0, MAX_ECHO_CHARS)}…` : value;
    return `${JSON.stringify(shown)}${value.length > MAX_ECHO_CHARS ? ` (${value.length} characters)` : ''}`;
  }
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `a ${typeof value}`;
}

/** Caps a string for a log field: at most `max` characters, marked when cut. */
export function capForLog(text: string, max = MAX_ECHO_CHARS * 4): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
