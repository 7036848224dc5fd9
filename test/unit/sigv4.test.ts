import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { canonicalPath, createSigV4Signer } from '../../worker/sigv4';
import type { SigV4Credentials } from '../../worker/sigv4';

/** The AWS SDK's signer, as the SDK's own clients set it up, to compare against. */
function sdkSigner(region: string, credentials: SigV4Credentials): SignatureV4 {
  type Data = string | ArrayBuffer | ArrayBufferView;
  const bytes = (d: Data): string | Buffer =>
    typeof d === 'string' ? d : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d);
  class Sha256 {
    private readonly h;
    constructor(secret?: Data) {
      this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
    }
    update(data: Data): void {
      this.h.update(bytes(data));
    }
    async digest(): Promise<Uint8Array> {
      return this.h.digest();
    }
    reset(): void {}
  }
  return new SignatureV4({ service: 'sqs', region, credentials, sha256: Sha256 });
}

const BODY = JSON.stringify({
  QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs',
  Entries: [{ Id: '0', MessageBody: '{"v":1,"é":"✓"}' }],
});

function baseHeaders(host: string, body: string): Record<string, string> {
  return {
    host,
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'AmazonSQS.SendMessageBatch',
    'x-amzn-query-mode': 'true',
    'content-length': String(Buffer.byteLength(body, 'utf8')),
    'user-agent': 'temporal-lambda-async test',
  };
}

async function both(options: { region: string; host: string; path: string; credentials: SigV4Credentials; now: Date; body?: string }) {
  const body = options.body ?? BODY;
  const ours = createSigV4Signer({ region: options.region, service: 'sqs' })(
    { path: options.path, headers: baseHeaders(options.host, body), body },
    options.credentials,
    options.now,
  );
  const theirs = await sdkSigner(options.region, options.credentials).sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: options.host.split(':')[0]!,
      path: options.path,
      query: {},
      headers: baseHeaders(options.host, body),
      body,
    },
    { signingDate: options.now },
  );
  return { ours, theirs: theirs.headers };
}

describe('createSigV4Signer', () => {
  const keys: SigV4Credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  it.each([
    { name: 'long-term keys, regional endpoint', region: 'eu-west-1', host: 'sqs.eu-west-1.amazonaws.com', path: '/', credentials: keys },
    {
      name: 'temporary credentials (session token signed)',
      region: 'us-east-1',
      host: 'sqs.us-east-1.amazonaws.com',
      path: '/',
      credentials: { ...keys, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==' },
    },
    {
      name: 'a local endpoint with a port and a path',
      region: 'us-east-1',
      host: '127.0.0.1:4566',
      path: '/sqs/./a b/../queue/',
      credentials: keys,
    },
  ])('gives the same headers and signature as the AWS SDK’s signer: $name', async ({ region, host, path, credentials }) => {
    const { ours, theirs } = await both({ region, host, path, credentials, now: new Date('2026-11-26T00:40:12.345Z') });
    expect(ours.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261126\/[a-z0-9-]+\/sqs\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/,
    );
    expect(ours).toEqual(theirs);
  });

  it('re-derives its key when the day or the credentials change, and signs the body it is given', async () => {
    const sign = createSigV4Signer({ region: 'eu-west-1', service: 'sqs' });
    const request = { path: '/', headers: baseHeaders('sqs.eu-west-1.amazonaws.com', BODY), body: BODY };
    const rotated = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'another-secret-after-rotation' };
    for (const [credentials, now] of [
      [keys, new Date('2026-11-26T23:59:59Z')],
      [keys, new Date('2026-11-27T00:00:01Z')],
      [rotated, new Date('2026-11-27T00:00:02Z')],
    ] as const) {
      const theirs = await sdkSigner('eu-west-1', credentials).sign(
        {
          method: 'POST',
          protocol: 'https:',
          hostname: 'sqs.eu-west-1.amazonaws.com',
          path: '/',
          query: {},
          headers: request.headers,
          body: BODY,
        },
        { signingDate: now },
      );
      expect(sign(request, credentials, now).authorization).toBe(theirs.headers.authorization);
    }
    const other = { ...request, body: BODY.replace('✓', 'x') };
    const now = new Date('2026-11-27T00:00:03Z');
    expect(sign(other, keys, now).authorization).not.toBe(sign(request, keys, now).authorization);
  });

  it('leaves user-agent unsigned, as proxies and SDK layers may rewrite it', () => {
    const headers = createSigV4Signer({ region: 'eu-west-1', service: 'sqs' })(
      { path: '/', headers: baseHeaders('sqs.eu-west-1.amazonaws.com', BODY), body: BODY },
      keys,
      new Date('2026-11-26T00:00:00Z'),
    );
    expect(headers.authorization).toContain(
      'SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amzn-query-mode,',
    );
    expect(headers['user-agent']).toBe('temporal-lambda-async test');
  });
});

describe('canonicalPath', () => {
  it('resolves dot segments and escapes the path as sent (already URI-encoded) once more, keeping slashes', () => {
    expect(canonicalPath('/')).toBe('/');
    expect(canonicalPath('')).toBe('');
    expect(canonicalPath('/a/./b/../c/')).toBe('/a/c/');
    expect(canonicalPath('/a%20b/c*')).toBe('/a%2520b/c%2A');
  });
});
