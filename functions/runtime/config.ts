/**
 * Reads a required environment variable.
 * @throws Error naming the variable and what it is for, so a misconfigured function fails at cold start.
 */
export function requireEnv(name: string, purpose: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is not set: it is ${purpose}. Set it in serverless.yml or the shell.`);
  }
  return value;
}

/** Where the functions reach Temporal. */
export interface TemporalConnectionConfig {
  /** `host:port` of the Temporal frontend. */
  readonly address: string;
  /** Namespace the activities belong to. */
  readonly namespace: string;
}

/** Reads the Temporal connection settings from `TEMPORAL_ADDRESS` and `TEMPORAL_NAMESPACE`. */
export function temporalConnectionConfig(): TemporalConnectionConfig {
  return {
    address: requireEnv('TEMPORAL_ADDRESS', 'the host:port of the Temporal frontend the functions complete activities on'),
    namespace: process.env.TEMPORAL_NAMESPACE || 'default',
  };
}
