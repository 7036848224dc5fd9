import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { msToNumber } from '@temporalio/common/lib/time.js';
import type { Duration } from '@temporalio/common';
import { callbackKeyRingFromEnv, CallbackNotConfiguredError, signCallbackToken } from '../../jobs/security/callback-url';
import type { CallbackClaims } from '../../jobs/security/callback-url';
import type { SigningKeyRing } from '../../jobs/security/message-signing';

/** Used when the attempt has no deadline and the handler gave no `expiresIn`. */
export const DEFAULT_CALLBACK_LIFETIME_MS = 3_600_000;

/** Makes callback URLs: signs the claims and puts the token after the callback function's base URL. */
export interface CallbackIssuer {
  /** The URL for `claims`. @throws CallbackNotConfiguredError when keys or base URL are missing */
  issue(claims: CallbackClaims): Promise<string>;
}

/** Options of {@link createCallbackIssuer}. */
export interface CallbackIssuerOptions {
  /** The callback function's URL (its Function URL, or the local endpoint); the token is appended as a path segment. */
  readonly baseUrl: string;
  readonly keyRing: () => SigningKeyRing | Promise<SigningKeyRing>;
}

/** A {@link CallbackIssuer} with a fixed base URL and key ring. */
export function createCallbackIssuer(options: CallbackIssuerOptions): CallbackIssuer {
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    async issue(claims) {
      return `${base}/${signCallbackToken(await options.keyRing(), claims)}`;
    },
  };
}

/**
 * The issuer from the environment: `CALLBACK_BASE_URL` and the callback key ring (`CALLBACK_SIGNING_KEYS_SECRET_ARN`,
 * `_PARAMETER`, or inline). What is missing is reported when a handler first asks for a URL, not at cold start:
 * functions whose jobs never hand out URLs need neither.
 */
export function callbackIssuerFromEnv(env: NodeJS.ProcessEnv = process.env): CallbackIssuer {
  const baseUrl = env.CALLBACK_BASE_URL;
  const keyRing = callbackKeyRingFromEnv(env);
  if (baseUrl && keyRing) {
    const issuer = createCallbackIssuer({ baseUrl, keyRing });
    return env.CALLBACK_URL_DIR ? writingUrlsTo(env.CALLBACK_URL_DIR, issuer) : issuer;
  }
  return {
    issue: () =>
      Promise.reject(
        new CallbackNotConfiguredError(
          'Callback URLs need CALLBACK_BASE_URL (the callback function URL; the stack sets it) and a callback key ring ' +
            '(CALLBACK_SIGNING_KEYS_SECRET_ARN, CALLBACK_SIGNING_KEYS_PARAMETER, or CALLBACK_SIGNING_KEYS locally).',
        ),
      ),
  };
}

/** When a URL asked for now expires: `expiresIn` from now, never past the attempt's deadline. */
export function callbackExpiry(expiresIn: Duration | undefined, deadline: Date | undefined, now = Date.now()): number {
  const asked = expiresIn === undefined ? undefined : now + msToNumber(expiresIn);
  const limit = deadline?.getTime();
  if (asked === undefined) return limit ?? now + DEFAULT_CALLBACK_LIFETIME_MS;
  return limit === undefined ? asked : Math.min(asked, limit);
}

/**
 * Local stack only (`CALLBACK_URL_DIR`, set by `npm run dev` and `npm start`): each URL is also written to
 * `<dir>/<workflowId>.<activityId>.url` (ids URI-encoded), where the local stack prints it from. Never set in the
 * cloud: a URL finishes its activity, so it goes only where the handler sends it.
 */
function writingUrlsTo(dir: string, issuer: CallbackIssuer): CallbackIssuer {
  return {
    async issue(claims) {
      const url = await issuer.issue(claims);
      writeFileSync(join(dir, `${encodeURIComponent(claims.workflowId)}.${encodeURIComponent(claims.activityId)}.url`), `${url}\n`);
      return url;
    },
  };
}
