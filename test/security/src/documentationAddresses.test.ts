import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../..');

/** RFC 1918, loopback, link-local, CGNAT, benchmarking (RFC 2544) and unspecified. */
function isNonPublic(ip: number[]): boolean {
  const [a, b] = ip;
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** The documentation ranges of RFC 5737, which no network routes. */
function isDocumentation([a, b, c]: number[]): boolean {
  return (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

describe('the sandbox and the docs', () => {
  it('use documentation addresses (RFC 5737) for every public IPv4 address', () => {
    const files = execFileSync(
      'git',
      ['ls-files', 'examples', 'packages/sandbox', 'docs', '*.md', 'app-config*.yaml'],
      { cwd: repoRoot, encoding: 'utf8' },
    )
      .split('\n')
      .filter(f => /\.(ya?ml|md|ts|json)$/.test(f));
    expect(files.length).toBeGreaterThan(20);

    const offenders: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      // Not part of a longer dotted string, nor an image tag (`proxyv2:1.22.6.41-aliyun`).
      const ipv4 = /(?<![\d.:v])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d|-)/g;
      for (const match of text.matchAll(ipv4)) {
        const ip = match.slice(1, 5).map(Number);
        if (ip.some(octet => octet > 255)) continue;
        if (!isNonPublic(ip) && !isDocumentation(ip)) {
          offenders.push(`${file}: ${match[0]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
