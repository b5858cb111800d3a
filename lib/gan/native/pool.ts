// Recycled output buffers for the native kernels. A fresh Float32Array costs its page faults and zeroing on first
// write, which on a large activation took two to four times as long as the oneDNN op that filled it; a training step
// frees and allocates the same sizes every step, so freed buffers are kept by size and handed out again.
//
// A buffer goes back to the pool only when no tensor can see it any more: every backend entry made over it
// (including entries over views of it, which some cpu kernels create) is counted, and the backend hands out copies
// when a tensor's values are read (see NativeBackend), so no array of ours escapes to user code.

/** Buffers smaller than this are cheap to allocate and are never pooled. */
const MIN_POOLED = 16 * 1024;

export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  /** The whole array behind each buffer the pool made, and how many backend entries use it. */
  private readonly owned = new WeakMap<ArrayBufferLike, { array: Float32Array; users: number }>();
  private bytes = 0;

  constructor(
    /** The most bytes kept for reuse; beyond it freed buffers are left to the garbage collector. */
    private readonly maxBytes: number,
    // A MoCoGAN step holds a dozen activations of one size at its peak: keeping only 8 made it allocate some 40 MB
    // afresh every step (and fault those pages in), which cost as much as its element-wise ops.
    private readonly maxPerSize = 64,
  ) {}

  /** A buffer of n floats with arbitrary contents (the caller overwrites every element). */
  take(n: number): Float32Array {
    const reused = this.free.get(n)?.pop();
    if (reused) {
      this.bytes -= reused.byteLength;
      return reused;
    }
    const array = new Float32Array(n);
    if (n >= MIN_POOLED) this.owned.set(array.buffer, { array, users: 0 });
    return array;
  }

  /** A buffer of n zeros. */
  takeZeroed(n: number): Float32Array {
    const reused = this.free.get(n)?.length ?? 0;
    const array = this.take(n);
    if (reused > 0) array.fill(0);
    return array;
  }

  /** Whether values lie in a buffer of the pool's (so they must not be handed to user code). */
  owns(values: unknown): values is Float32Array {
    return ArrayBuffer.isView(values) && this.owned.has(values.buffer);
  }

  /** A backend entry now holds these values. */
  attach(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const entry = this.owned.get(values.buffer);
    if (entry) entry.users++;
  }

  /** A backend entry holding these values was deleted; the buffer is reused once no entry holds it. */
  detach(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const entry = this.owned.get(values.buffer);
    if (entry == null || --entry.users > 0) return;
    const { array } = entry;
    const list = this.free.get(array.length) ?? [];
    if (list.length >= this.maxPerSize || this.bytes + array.byteLength > this.maxBytes) return;
    list.push(array);
    this.free.set(array.length, list);
    this.bytes += array.byteLength;
  }

  /** Bytes held for reuse. */
  get heldBytes(): number {
    return this.bytes;
  }

  clear(): void {
    this.free.clear();
    this.bytes = 0;
  }
}

/** The native backend's pool (one backend per process). */
export const pool = new BufferPool(512 * 1024 * 1024);
