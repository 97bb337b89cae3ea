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
