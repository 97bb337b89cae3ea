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
    // The request thread keeps a small body for each entity: 70 bytes each here.
    const views = Array.from({ length: 50 }, (_, i) =>
      serializeJson({ entityRef: `component:default/app-${i}`, paths: [] }),
    );
    // A body kept gzip only (`GET /exposures`, whole and its pages).
    const gzipOnly = await serializeGzippedJson({
      paths: Array.from({ length: 100 }, (_, i) => ({ id: `p${i}` })),
    });
    for (const body of [...(await sent(views)), await sent(gzipOnly)]) {
      expect(JSON.parse(zlib.gunzipSync(body.gzip).toString())).toBeTruthy();
      expect(body.gzip.buffer.byteLength).toBe(body.gzip.byteLength);
      if (body.json) {
        expect(body.json.buffer.byteLength).toBe(body.json.byteLength);
      }
    }
    expect(views.every(v => v.json!.buffer.byteLength < 1024)).toBe(true);
  });
});
