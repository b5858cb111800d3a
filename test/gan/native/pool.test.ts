// The native backend reuses its kernels' output buffers: only once no tensor holds them, and never under a value a
// caller has read.
import * as tf from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/gan/backend";
import { BufferPool, pool } from "@/lib/gan/native/pool";

const N = 64 * 1024; // above the pool's smallest size
const valuesOf = (t: tf.Tensor) => (tf.backend() as MathBackendCPU).data.get(t.dataId).values as Float32Array;

beforeAll(async () => {
  expect((await initBackend("native")).backend).toBe("native");
});

describe("native buffer pool", () => {
  it("hands a freed output buffer to the next output of its size", () => {
    const x = tf.fill([N], 2);
    const a = tf.mul(x, x);
    const buffer = valuesOf(a).buffer;
    a.dispose();
    const b = tf.add(x, x);
    expect(valuesOf(b).buffer).toBe(buffer);
    expect(b.dataSync()[0]).toBe(4);
    tf.dispose([x, b]);
  });

  it("gives readers copies, which later ops do not change", () => {
    const x = tf.fill([N], 3);
    const a = tf.mul(x, x);
    const read = a.dataSync();
    expect(read.buffer).not.toBe(valuesOf(a).buffer);
    a.dispose();
    const b = tf.mul(x, 5); // may reuse a's buffer
    expect(read[0]).toBe(9);
    tf.dispose([x, b]);
  });

  it("keeps a buffer while any entry over it (a view, too) is alive", () => {
    const backend = tf.backend() as MathBackendCPU;
    const x = tf.fill([N], 1);
    const a = tf.mul(x, 7);
    const view = tf.engine().makeTensorFromTensorInfo(backend.makeTensorInfo([8], "float32", valuesOf(a).subarray(0, 8)));
    a.dispose();
    const b = tf.mul(x, 2); // must not land in a's buffer: the view still reads it
    expect(view.dataSync()[0]).toBe(7);
    expect(valuesOf(b).buffer).not.toBe(valuesOf(view).buffer);
    tf.dispose([x, b, view]);
  });

  it("keeps at most its byte budget", () => {
    const small = new BufferPool(N * 4);
    const [a, b] = [small.take(N), small.take(N)];
    small.attach(a);
    small.attach(b);
    small.detach(a);
    small.detach(b);
    expect(small.heldBytes).toBe(N * 4);
    expect(pool.heldBytes).toBeLessThanOrEqual(512 * 1024 * 1024);
  });
});
