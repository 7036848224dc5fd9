import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throwaway CA, a server certificate it signed for `serverName`, and a client certificate. */
export interface TestCertificates {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly serverName: string;
}

/** Makes {@link TestCertificates} with the machine's `openssl` (EC P-256 keys, valid one day). */
export function makeTestCertificates(serverName = 'temporal.test'): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'test-certs-'));
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const key = (name: string): void => ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
  try {
    key('ca');
    ssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=test CA', '-days', '1', '-out', 'ca.pem');
    for (const [name, extension] of [
      ['server', `subjectAltName=DNS:${serverName}\nextendedKeyUsage=serverAuth`],
      ['client', 'extendedKeyUsage=clientAuth'],
    ] as const) {
      key(name);
      ssl('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name === 'server' ? serverName : 'functions'}`, '-out', `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), `${extension}\n`);
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.pem`,
      );
    }
    const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
    return {
      ca: read('ca.pem'),
      serverCert: read('server.pem'),
      serverKey: read('server.key'),
      clientCert: read('client.pem'),
      clientKey: read('client.key'),
      serverName,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
