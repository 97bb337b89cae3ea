import {
  bareHost,
  hostMatches,
  hostsOverlap,
  serverHostMatches,
} from './hosts';

describe('hostMatches', () => {
  it('matches exact hosts regardless of case', () => {
    expect(hostMatches('Blog.Example.com', 'blog.example.COM')).toBe(true);
    expect(hostMatches('blog.example.com', 'shop.example.com')).toBe(false);
  });

  it('lets a wildcard stand for one or more labels, never for none', () => {
    expect(hostMatches('*.example.com', 'blog.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostMatches('*.example.com', '.example.com')).toBe(false);
    expect(hostMatches('*', 'anything.example.com')).toBe(true);
  });

  it('tells whether two patterns share a host', () => {
    expect(hostsOverlap('*.example.com', 'blog.example.com')).toBe(true);
    expect(hostsOverlap('blog.example.com', '*.example.com')).toBe(true);
    expect(hostsOverlap('*.example.com', '*.example.org')).toBe(false);
  });
});

describe('Istio server hosts', () => {
  it('match without their namespace scope', () => {
    expect(bareHost('shop/Blog.Example.com')).toBe('blog.example.com');
    expect(serverHostMatches('shop/*.example.com', 'blog.example.com')).toBe(
      true,
    );
    expect(serverHostMatches('./blog.example.com', 'blog.example.com')).toBe(
      true,
    );
    expect(serverHostMatches('*/*', 'blog.example.com')).toBe(true);
    expect(serverHostMatches('shop/*.example.com', 'example.com')).toBe(false);
  });
});
