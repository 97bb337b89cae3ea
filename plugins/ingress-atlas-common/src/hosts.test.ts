import {
  bareHost,
  dnsZoneOf,
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

describe('dnsZoneOf', () => {
  const zones = ['example.com', 'a.example.com', 'example.org'];

  it('gives the apex of a zone as record @', () => {
    expect(dnsZoneOf('example.com', zones)).toEqual({
      zone: 'example.com',
      record: '@',
    });
  });

  it('keeps every label left of the zone in the record', () => {
    expect(dnsZoneOf('blog.example.com', zones)).toEqual({
      zone: 'example.com',
      record: 'blog',
    });
    expect(dnsZoneOf('api.v2.shop.example.org', zones)).toEqual({
      zone: 'example.org',
      record: 'api.v2.shop',
    });
  });

  it('picks the longer of two zones that hold the host', () => {
    expect(dnsZoneOf('blog.a.example.com', zones)).toEqual({
      zone: 'a.example.com',
      record: 'blog',
    });
    expect(dnsZoneOf('blog.a.example.com', [...zones].reverse())).toEqual({
      zone: 'a.example.com',
      record: 'blog',
    });
    expect(dnsZoneOf('a.example.com', zones)).toEqual({
      zone: 'a.example.com',
      record: '@',
    });
  });

  it('finds no zone for a host outside them, or one that only shares a suffix', () => {
    expect(dnsZoneOf('blog.example.net', zones)).toBeUndefined();
    expect(dnsZoneOf('blogexample.com', zones)).toBeUndefined();
    expect(dnsZoneOf('blog.example.com', [])).toBeUndefined();
  });

  it('ignores case and a trailing dot on the host and the zones', () => {
    expect(dnsZoneOf('Blog.Example.COM.', ['EXAMPLE.com.'])).toEqual({
      zone: 'example.com',
      record: 'blog',
    });
  });
});
