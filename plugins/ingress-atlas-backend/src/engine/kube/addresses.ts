/** Whether a reported load balancer address is an IP (IPv4 or IPv6) rather than a hostname. */
export function isIpAddress(address: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(address) || address.includes(':');
}

/** Whether an IPv4/IPv6 address is private (RFC 1918, CGNAT, link-local, ULA, loopback). */
export function isPrivateAddress(address: string): boolean {
  const v4 = address.match(/^(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254)
    );
  }
  const lower = address.toLowerCase();
  return (
    lower === '::1' ||
    lower.startsWith('fc') ||
    lower.startsWith('fd') ||
    lower.startsWith('fe80:')
  );
}
