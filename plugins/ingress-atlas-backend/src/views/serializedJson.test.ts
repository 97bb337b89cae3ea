import { MessageChannel } from 'node:worker_threads';
import zlib from 'node:zlib';
import { serializeGzippedJson, serializeJson } from './serializedJson';

/** What another thread holds of `value` once sent to it in a message. */
async function sent<T>(value: T): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<T>(resolve => port2.once('message', resolve));
  port1.postMessage(value);
  const copy = await received;
  port1.close();
  return copy;
}

describe('serialized bodies', () => {
  it('hold, here and on the thread they are sent to, only their own bytes', async () => {
    // The request thread keeps a small body for each entity: 50 bytes (70 gzip) each here.
    const views = Array.from({ length: 50 }, (_, i) =>
      serializeJson({ entityRef: `component:default/app-${i}`, paths: [] }),
    );
    // A body kept gzip only (`GET /exposures`, whole and its pages).
    const gzipOnly = await serializeGzippedJson({
      paths: Array.from({ length: 100 }, (_, i) => ({ id: `p${i}` })),
    });
    expect(gzipOnly.json).toBeUndefined();
    const own = (bytes: Uint8Array) =>
      bytes.buffer.byteLength === bytes.byteLength;
    for (const kept of [views, await sent(views)]) {
      expect(kept.every(v => own(v.json!) && own(v.gzip))).toBe(true);
      expect(kept.every(v => v.json!.byteLength < 1024)).toBe(true);
    }
    const received = await sent(gzipOnly);
    expect(own(received.gzip)).toBe(true);
    expect(JSON.parse(zlib.gunzipSync(received.gzip).toString())).toEqual({
      paths: Array.from({ length: 100 }, (_, i) => ({ id: `p${i}` })),
    });
  });
});
