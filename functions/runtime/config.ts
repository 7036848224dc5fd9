import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';

/** Where and how the functions reach Temporal. */
export interface TemporalConnectionConfig {
  /** `host:port` of the Temporal frontend. */
  readonly address: string;
  /** Namespace the activities belong to. */
  readonly namespace: string;
  /** API key from the environment or the config file (Lambda reads it from a secret instead; see `temporal-client.ts`). */
  readonly apiKey?: string;
  /** TLS settings; `true` for TLS with the system's roots. */
  readonly tls?: TLSConfig | boolean;
  /** Extra gRPC metadata from the profile. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Reads the Temporal connection the way the `temporal` CLI does (Temporal's environment configuration):
 * `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS*`, and profiles in the TOML file
 * named by `TEMPORAL_CONFIG_FILE` (profile `TEMPORAL_PROFILE`, default `default`). Environment wins over file.
 * @throws Error when no address is configured, saying where to put one
 */
export function temporalConnectionConfig(env: NodeJS.ProcessEnv = process.env): TemporalConnectionConfig {
  const { connectionOptions, namespace } = loadClientConnectConfig({
    profile: env.TEMPORAL_PROFILE,
    overrideEnvVars: env as Record<string, string>,
  });
  if (!connectionOptions.address) {
    throw new Error(
      'Environment variable TEMPORAL_ADDRESS is not set: it is the host:port of the Temporal frontend the functions ' +
        'complete activities on. Set it (or a profile in TEMPORAL_CONFIG_FILE) in serverless.yml or the shell.',
    );
  }
  return {
    address: connectionOptions.address as string,
    namespace: namespace || 'default',
    apiKey: typeof connectionOptions.apiKey === 'string' ? connectionOptions.apiKey : undefined,
    tls: connectionOptions.tls as TLSConfig | boolean | undefined,
    metadata: connectionOptions.metadata as Record<string, string> | undefined,
  };
}
