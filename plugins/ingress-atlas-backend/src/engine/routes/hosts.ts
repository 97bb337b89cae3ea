/** Whether a host pattern (`*`, `*.example.com`, `a.example.com`) covers a host. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*' || p === h) return true;
  return (
    p.startsWith('*.') && h.endsWith(p.slice(1)) && h.length > p.length - 1
  );
}

/** Whether two host patterns can match a common host. */
export function hostsOverlap(a: string, b: string): boolean {
  return hostMatches(a, b) || hostMatches(b, a);
}
