// Types only: the clients are imported where first used, so a function with no secret configured never loads
// them (they are ~60 ms of cold start), and the bundles leave them to the Lambda runtime's AWS SDK.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';

/** Where a secret lives: Secrets Manager (by ARN or name) or SSM Parameter Store (decrypted). */
export type SecretRef = { readonly secretsManager: string } | { readonly ssmParameter: string };

/** Thrown when a secret cannot be read; says which one, never its value. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

let secretsManager: SecretsManagerClient | undefined;
let ssm: SSMClient | undefined;

/** Describes a reference for messages and logs (names only). */
export function describeSecretRef(ref: SecretRef): string {
  return 'secretsManager' in ref ? `Secrets Manager secret ${ref.secretsManager}` : `SSM parameter ${ref.ssmParameter}`;
}

/**
 * Reads a secret's current value. Endpoints and credentials come from the SDK's standard settings
 * (`AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_SSM`, the Lambda role).
 * @throws SecretUnavailableError naming the secret and what to check
 */
export async function readSecret(ref: SecretRef): Promise<string> {
  try {
    if ('secretsManager' in ref) {
      const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      secretsManager ??= new SecretsManagerClient({});
      const { SecretString, SecretBinary } = await secretsManager.send(new GetSecretValueCommand({ SecretId: ref.secretsManager }));
      const value = SecretString ?? (SecretBinary ? Buffer.from(SecretBinary).toString('utf8') : undefined);
      if (value === undefined) throw new Error('the secret has no value');
      return value;
    }
    const { GetParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
    ssm ??= new SSMClient({});
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: ref.ssmParameter, WithDecryption: true }));
    if (Parameter?.Value === undefined) throw new Error('the parameter has no value');
    return Parameter.Value;
  } catch (err) {
    throw new SecretUnavailableError(
      `Could not read ${describeSecretRef(ref)} (${(err as Error).name}: ${(err as Error).message}). ` +
        'Check that it exists and that this role may read it (secretsmanager:GetSecretValue / ssm:GetParameter).',
    );
  }
}

/**
 * Finds a secret reference in the environment: `<PREFIX>_SECRET_ARN` (Secrets Manager) or
 * `<PREFIX>_PARAMETER` (SSM), e.g. `TEMPORAL_API_KEY_SECRET_ARN`.
 */
export function secretRefFromEnv(prefix: string, env: NodeJS.ProcessEnv = process.env): SecretRef | undefined {
  const arn = env[`${prefix}_SECRET_ARN`];
  if (arn) return { secretsManager: arn };
  const parameter = env[`${prefix}_PARAMETER`];
  if (parameter) return { ssmParameter: parameter };
  return undefined;
}

/** A secret value cached with a refresh interval, so a rotated secret is picked up without a redeploy. */
export interface CachedSecret {
  /** The cached value; reads the secret on first use and again once `refreshMs` has passed. */
  get(now?: number): Promise<string>;
}

/**
 * Caches a secret for `refreshMs`. A failed refresh keeps serving the last good value (a rotation window
 * is not an outage); a failed first read throws.
 */
export function cachedSecret(ref: SecretRef, refreshMs: number): CachedSecret {
  let value: string | undefined;
  let fetchedAt = 0;
  let inFlight: Promise<string> | undefined;
  return {
    get: async (now = Date.now()) => {
      if (value !== undefined && now - fetchedAt < refreshMs) return value;
      inFlight ??= readSecret(ref).finally(() => {
        inFlight = undefined;
      });
      try {
        value = await inFlight;
        fetchedAt = now;
      } catch (err) {
        if (value === undefined) throw err;
        fetchedAt = now;
      }
      return value;
    },
  };
}

/** Refresh interval from `SECRET_REFRESH_SECONDS`. @default 300 s */
export function secretRefreshMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.SECRET_REFRESH_SECONDS ?? 300);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 300) * 1000;
}

/**
 * A parsed secret (a key ring) from the environment: `<PREFIX>_SECRET_ARN` / `<PREFIX>_PARAMETER`, read through
 * {@link cachedSecret} and parsed again whenever its text changes; or `<PREFIX>` inline (local development),
 * parsed once, now. `undefined` when none is set.
 * @throws whatever `parse` throws for a malformed inline value; a malformed stored one throws on use, naming the secret
 */
export function parsedSecretFromEnv<T>(
  prefix: string,
  parse: (json: string) => T,
  env: NodeJS.ProcessEnv = process.env,
): (() => T | Promise<T>) | undefined {
  const ref = secretRefFromEnv(prefix, env);
  if (ref) {
    const secret = cachedSecret(ref, secretRefreshMs(env));
    let parsed: { json: string; value: T } | undefined;
    return async () => {
      const json = await secret.get();
      if (parsed?.json !== json) {
        try {
          parsed = { json, value: parse(json) };
        } catch (err) {
          throw new TypeError(`${describeSecretRef(ref)}: ${(err as Error).message}`, { cause: err });
        }
      }
      return parsed.value;
    };
  }
  const inline = env[prefix];
  if (!inline) return undefined;
  const value = parse(inline);
  return () => value;
}
