import { hash } from 'node:crypto';
import { hmacSha256 } from '../jobs/security/hmac-sha256';

/** AWS credentials as the SDK's providers resolve them. */
export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials (a Lambda's, an ECS task's, an assumed role's). */
  readonly sessionToken?: string;
}

/** Where and to what service a request is signed. */
export interface SigV4Scope {
  readonly region: string;
  /** The signing name, e.g. `sqs`. */
  readonly service: string;
}

/** Headers never signed: hop-by-hop ones and those a proxy may change, as the AWS SDK's signer leaves out. */
const UNSIGNED_HEADERS = new Set([
  'user-agent',
  'authorization',
  'connection',
  'expect',
  'keep-alive',
  'transfer-encoding',
  'x-amzn-trace-id',
]);

/** `encodeURIComponent` with the characters RFC 3986 reserves and it leaves alone also escaped, as SigV4 requires. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The canonical URI of a request path as it is sent (already URI-encoded): `.` and `..` segments resolved,
 * empty segments dropped, escaped once more (SigV4's rule for every service but S3), slashes kept.
 */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/** `20261126T004012Z` and `20261126` for a time. */
function signingDates(now: Date): { long: string; short: string } {
  const long = `${now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
  return { long, short: long.slice(0, 8) };
}

interface CachedKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * Signs requests with AWS Signature Version 4 (header form, signed payload), for requests whose body is a
 * string and whose URL has no query: AWS's JSON protocol. Returns the headers to send: the given ones plus
 * `x-amz-date`, `x-amz-content-sha256`, `x-amz-security-token` (temporary credentials) and `authorization`.
 * Every given header is signed but `user-agent` and hop-by-hop ones; names must be lower case.
 *
 * The derived signing key is kept for the last (day, region, service, credentials) seen, so a request costs
 * two SHA-256 of its parts and one HMAC. Why not `@smithy/signature-v4`, the AWS SDK's signer: it is written for
 * every request shape, derives a cache key with an HMAC and hashes through async digests on each request —
 * 0.28 ms of the worker's CPU a request in its profile, several times this. The unit tests check that both
 * give the same headers, signature included, for the same request.
 */
export function createSigV4Signer(
  scope: SigV4Scope,
): (
  request: { readonly path: string; readonly headers: Readonly<Record<string, string>>; readonly body: string },
  credentials: SigV4Credentials,
  now?: Date,
) => Record<string, string> {
  let cached: CachedKey | undefined;
  const signingKey = (credentials: SigV4Credentials, day: string): Buffer => {
    const id = `${day}\n${credentials.accessKeyId}\n${credentials.secretAccessKey}`;
    if (cached?.id !== id) {
      let key = hmacSha256(Buffer.from(`AWS4${credentials.secretAccessKey}`, 'utf8'), day);
      for (const part of [scope.region, scope.service, 'aws4_request']) key = hmacSha256(key, part);
      cached = { id, key };
    }
    return cached.key;
  };
  return (request, credentials, now = new Date()) => {
    const dates = signingDates(now);
    const payloadHash = hash('sha256', request.body, 'hex');
    const headers: Record<string, string> = { ...request.headers, 'x-amz-date': dates.long, 'x-amz-content-sha256': payloadHash };
    if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
    const names = Object.keys(headers)
      .filter((name) => !UNSIGNED_HEADERS.has(name))
      .sort();
    const signedHeaders = names.join(';');
    let canonicalHeaders = '';
    for (const name of names) canonicalHeaders += `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}\n`;
    const canonicalRequest = `POST\n${canonicalPath(request.path)}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const credentialScope = `${dates.short}/${scope.region}/${scope.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${dates.long}\n${credentialScope}\n${hash('sha256', canonicalRequest, 'hex')}`;
    const signature = hmacSha256(signingKey(credentials, dates.short), stringToSign).toString('hex');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return headers;
  };
}
