import { randomBytes } from 'node:crypto';
import { generateSigningKeyRing, hasSigningKeysInEnv } from '../../jobs/security/message-signing';

/**
 * Gives a local stack a job signing key ring (`JOB_SIGNING_KEYS`), generated once per process, unless the user
 * configured one. Child processes — the worker, the Lambda containers — inherit it, so they all agree.
 */
export function applyLocalSigningKeys(env: NodeJS.ProcessEnv = process.env): void {
  if (!hasSigningKeysInEnv(env)) env.JOB_SIGNING_KEYS = generateSigningKeyRing();
}

/**
 * Gives a local stack the HTTP triggers' shared secret (`HTTP_TRIGGER_HMAC_SECRET`, 32 random bytes in hex),
 * generated once per process unless the user set one: where the deployed `startWorkflowHttp` reads the secret
 * named by `HTTP_TRIGGER_HMAC_SECRET_ARN`, the local containers get its value (`FORWARDED_LOCAL_ENV`).
 * @returns whether it generated the secret (then only the local stack knows it: `npm run dev` publishes it to
 * `npm run trigger` in its state file)
 */
export function applyLocalHttpTriggerSecret(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.HTTP_TRIGGER_HMAC_SECRET) return false;
  env.HTTP_TRIGGER_HMAC_SECRET = randomBytes(32).toString('hex');
  return true;
}
