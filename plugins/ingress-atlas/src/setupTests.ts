import '@testing-library/jest-dom';

// jsdom has no layout engine; React Flow needs these browser APIs to exist.
class ResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback(
      [
        {
          target,
          contentRect: target.getBoundingClientRect(),
        } as ResizeObserverEntry,
      ],
      this as unknown as globalThis.ResizeObserver,
    );
  }
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??=
  ResizeObserver as unknown as typeof globalThis.ResizeObserver;

class DOMMatrixReadOnly {
  m22: number;
  constructor(transform?: string) {
    const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
    this.m22 = scale ? Number(scale) : 1;
  }
}
(globalThis as any).DOMMatrixReadOnly ??= DOMMatrixReadOnly;

// Nor sizes: React Flow's pane gets the size of the graph box on a desktop screen, so that a
// graph is fitted to it as in a browser. Everything else keeps jsdom's zero.
for (const [name, size] of [
  ['offsetWidth', 1200],
  ['offsetHeight', 640],
] as const) {
  Object.defineProperty(HTMLElement.prototype, name, {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('react-flow__renderer') ? size : 0;
    },
  });
}

// Nor media queries: widths are those of jsdom's window (1024 px, a desktop screen), so that
// Backstage UI's breakpoints and Material UI's agree; other features never match.
window.matchMedia ??= (query: string) => {
  const widths = [...query.matchAll(/\((min|max)-width:\s*([\d.]+)px\)/g)];
  const matches =
    widths.length > 0 &&
    widths.every(([, bound, px]) =>
      bound === 'min'
        ? window.innerWidth >= Number(px)
        : window.innerWidth <= Number(px),
    );
  return {
    matches,
    media: query,
    onchange: null,
    addEventListener: () => {},
    removeEventListener: () => {},
    addListener: () => {},
    removeListener: () => {},
    dispatchEvent: () => false,
  } as MediaQueryList;
};
