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
