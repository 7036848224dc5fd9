import { generateSigningKeyRing, hasSigningKeysInEnv } from '../../jobs/security/message-signing';

/**
 * Gives a local stack a job signing key ring (`JOB_SIGNING_KEYS`), generated once per process, unless the user
 * configured one. Child processes — the worker, the Lambda containers — inherit it, so they all agree.
 */
export function applyLocalSigningKeys(env: NodeJS.ProcessEnv = process.env): void {
  if (!hasSigningKeysInEnv(env)) env.JOB_SIGNING_KEYS = generateSigningKeyRing();
}
