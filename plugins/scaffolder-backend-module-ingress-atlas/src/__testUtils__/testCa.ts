import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway plug-in CA for Istio, made at test time with openssl (Node's crypto reads
 * certificates but cannot issue them): a root and an intermediate CA it signed, as the `data`
 * of a `cacerts` Secret (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem). Never a real
 * organisation's CA: each call makes new keys, and nothing is kept on disk.
 */
export function testPluginCa(name: string): Record<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'test-ca-'));
  const file = (f: string) => path.join(dir, f);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  try {
    writeFileSync(
      file('ca.ext'),
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n',
    );
    openssl(
      'req',
      '-x509',
      ...ec,
      '-nodes',
      '-keyout',
      'root-key.pem',
      '-out',
      'root-cert.pem',
      '-days',
      '3650',
      '-subj',
      `/O=Ingress Atlas tests/CN=${name} test-only root CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    openssl(
      'req',
      '-new',
      ...ec,
      '-nodes',
      '-keyout',
      'ca-key.pem',
      '-out',
      'ca.csr',
      '-subj',
      `/O=Ingress Atlas tests/CN=${name} test-only intermediate CA`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'ca.csr',
      '-CA',
      'root-cert.pem',
      '-CAkey',
      'root-key.pem',
      '-set_serial',
      '2',
      '-days',
      '3650',
      '-extfile',
      'ca.ext',
      '-out',
      'ca-cert.pem',
    );
    const read = (f: string) => readFileSync(file(f), 'utf8');
    const base64 = (text: string) => Buffer.from(text).toString('base64');
    return {
      'ca-cert.pem': base64(read('ca-cert.pem')),
      'ca-key.pem': base64(read('ca-key.pem')),
      'root-cert.pem': base64(read('root-cert.pem')),
      'cert-chain.pem': base64(read('ca-cert.pem') + read('root-cert.pem')),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
