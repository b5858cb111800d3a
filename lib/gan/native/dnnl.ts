// oneDNN 2.x (Debian's libdnnl2, the library PyTorch's CPU convolutions run in) through koffi, a foreign-function
// interface whose binaries ship inside its npm package: no compiler, no download. Only what the native backend's
// kernels need: convolutions (forward and both gradients), matrix products, binary and element-wise ops, reductions.
//
// oneDNN 2.x passes its descriptors as C structs; we treat each as an opaque byte buffer of the size the 2.6
// headers give (checked once: a descriptor init overruns nothing and reports success). Primitives are cached by
// their geometry: creating one costs far more than running it at our sizes, and a training step reuses the
// same few dozen shapes every step.
import koffi, { type LibraryHandle } from "koffi";
import { pool } from "./pool";

/** sizeof() in oneDNN 2.6's headers (x86-64); buffers are rounded up generously in case a build pads them. */
const MEMORY_DESC_BYTES = 1024; // 696
const OP_DESC_BYTES = 8192; // convolution 5976, matmul 2800

const MAX_NDIMS = 12;

export const enum DataType {
  f32 = 3,
}

export const enum Prop {
  forwardTraining = 64,
}

export const enum Arg {
  src = 1,
  src1 = 2,
  dst = 17,
  weights = 33,
  diffSrc = 129,
  diffDst = 145,
  diffWeights = 161,
}

const CONVOLUTION_DIRECT = 1;
const ENGINE_CPU = 1;
const STREAM_DEFAULT = 1;
const QUERY_EXEC_ARG_MD = 255;
const FORMAT_ANY = 1;
/** Arguments a primitive writes; the others it reads. */
const OUTPUTS = new Set<number>([Arg.dst, Arg.diffSrc, Arg.diffWeights]);

type Pointer = unknown;
/** A memory descriptor: our own buffer, or a pointer oneDNN returned into a primitive descriptor. */
type Desc = Uint8Array | Pointer;

interface Bindings {
  version: () => { major: number; minor: number; patch: number };
  engineCreate: (out: Pointer[], kind: number, index: number) => number;
  streamCreate: (out: Pointer[], engine: Pointer, flags: number) => number;
  mdByStrides: (md: Uint8Array, ndims: number, dims: BigInt64Array, dt: number, strides: BigInt64Array) => number;
  mdByTag: (md: Uint8Array, ndims: number, dims: BigInt64Array, dt: number, tag: number) => number;
  mdEqual: (a: Desc, b: Desc) => number;
  mdSize: (md: Desc) => number;
  pdQueryMd: (pd: Pointer, what: number, index: number) => Pointer;
  reorderPd: (out: Pointer[], src: Desc, srcEngine: Pointer, dst: Desc, dstEngine: Pointer, attr: Pointer) => number;
  convFwd: (d: Uint8Array, prop: number, alg: number, src: Uint8Array, w: Uint8Array, b: Uint8Array | null, dst: Uint8Array,
    strides: BigInt64Array, dil: BigInt64Array, pl: BigInt64Array, pr: BigInt64Array) => number;
  convBwdData: (d: Uint8Array, alg: number, diffSrc: Desc, w: Desc, diffDst: Desc, strides: BigInt64Array,
    dil: BigInt64Array, pl: BigInt64Array, pr: BigInt64Array) => number;
  convBwdWeights: (d: Uint8Array, alg: number, src: Desc, diffW: Desc, diffB: Desc | null, diffDst: Desc,
    strides: BigInt64Array, dil: BigInt64Array, pl: BigInt64Array, pr: BigInt64Array) => number;
  matmul: (d: Uint8Array, src: Uint8Array, w: Uint8Array, b: Uint8Array | null, dst: Uint8Array) => number;
  binary: (d: Uint8Array, alg: number, src0: Uint8Array, src1: Uint8Array, dst: Uint8Array) => number;
  eltwise: (d: Uint8Array, prop: number, alg: number, data: Uint8Array, alpha: number, beta: number) => number;
  reduction: (d: Uint8Array, alg: number, src: Uint8Array, dst: Uint8Array, p: number, eps: number) => number;
  pdCreate: (out: Pointer[], opDesc: Uint8Array, attr: Pointer, engine: Pointer, hint: Pointer) => number;
  primitiveCreate: (out: Pointer[], pd: Pointer) => number;
  memoryCreate: (out: Pointer[], md: Desc, engine: Pointer, handle: Pointer) => number;
  setHandle: (memory: Pointer, handle: Float32Array) => number;
  execute: (primitive: Pointer, stream: Pointer, nargs: number, args: Array<{ arg: number; memory: Pointer }>) => number;
  streamWait: (stream: Pointer) => number;
  status2str: (status: number) => string;
}

function bind(lib: LibraryHandle): Bindings {
  const version = koffi.struct("dnnl_version_t", { major: "int", minor: "int", patch: "int", hash: "const char *", cpu_runtime: "uint32_t", gpu_runtime: "uint32_t" });
  const execArg = koffi.struct("dnnl_exec_arg_t", { arg: "int", memory: "void *" });
  const dims = "const int64_t *";
  return {
    version: lib.func("dnnl_version", koffi.pointer(version), []) as unknown as Bindings["version"],
    engineCreate: lib.func("int dnnl_engine_create(_Out_ void **engine, int kind, size_t index)"),
    streamCreate: lib.func("int dnnl_stream_create(_Out_ void **stream, void *engine, uint32_t flags)"),
    mdByStrides: lib.func(`int dnnl_memory_desc_init_by_strides(_Inout_ uint8_t *md, int ndims, ${dims} d, int dt, ${dims} s)`),
    mdByTag: lib.func(`int dnnl_memory_desc_init_by_tag(_Inout_ uint8_t *md, int ndims, ${dims} d, int dt, int tag)`),
    mdEqual: lib.func("int dnnl_memory_desc_equal(const void *a, const void *b)"),
    mdSize: lib.func("size_t dnnl_memory_desc_get_size(const void *md)"),
    pdQueryMd: lib.func("const void *dnnl_primitive_desc_query_md(void *pd, int what, int index)"),
    reorderPd: lib.func("int dnnl_reorder_primitive_desc_create(_Out_ void **pd, const void *src, void *srcEngine, const void *dst, void *dstEngine, void *attr)"),
    convFwd: lib.func(`int dnnl_dilated_convolution_forward_desc_init(_Inout_ uint8_t *desc, int prop, int alg, const uint8_t *src,
      const uint8_t *w, const uint8_t *b, const uint8_t *dst, ${dims} s, ${dims} d, ${dims} pl, ${dims} pr)`),
    convBwdData: lib.func(`int dnnl_dilated_convolution_backward_data_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *diffSrc,
      const uint8_t *w, const uint8_t *diffDst, ${dims} s, ${dims} d, ${dims} pl, ${dims} pr)`),
    convBwdWeights: lib.func(`int dnnl_dilated_convolution_backward_weights_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *src,
      const uint8_t *diffW, const uint8_t *diffB, const uint8_t *diffDst, ${dims} s, ${dims} d, ${dims} pl, ${dims} pr)`),
    matmul: lib.func("int dnnl_matmul_desc_init(_Inout_ uint8_t *desc, const uint8_t *src, const uint8_t *w, const uint8_t *b, const uint8_t *dst)"),
    binary: lib.func("int dnnl_binary_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *src0, const uint8_t *src1, const uint8_t *dst)"),
    eltwise: lib.func("int dnnl_eltwise_forward_desc_init(_Inout_ uint8_t *desc, int prop, int alg, const uint8_t *data, float alpha, float beta)"),
    reduction: lib.func("int dnnl_reduction_desc_init(_Inout_ uint8_t *desc, int alg, const uint8_t *src, const uint8_t *dst, float p, float eps)"),
    pdCreate: lib.func("int dnnl_primitive_desc_create(_Out_ void **pd, const uint8_t *op, void *attr, void *engine, void *hint)"),
    primitiveCreate: lib.func("int dnnl_primitive_create(_Out_ void **primitive, void *pd)"),
    memoryCreate: lib.func("int dnnl_memory_create(_Out_ void **memory, const void *md, void *engine, void *handle)"),
    setHandle: lib.func("int dnnl_memory_set_data_handle(void *memory, void *handle)"),
    execute: lib.func(`int dnnl_primitive_execute(void *primitive, void *stream, int nargs, const ${execArg.name} *args)`) as unknown as Bindings["execute"],
    streamWait: lib.func("int dnnl_stream_wait(void *stream)"),
    status2str: lib.func("const char *dnnl_status2str(int status)"),
  };
}

let api: { b: Bindings; engine: Pointer; stream: Pointer } | null = null;

/** Loads libdnnl.so.2 (or ZOETROPE_DNNL_LIB, a path to another build) once; throws with the reason when it is missing. */
export function loadDnnl(): { version: string } {
  if (api == null) {
    // OpenMP's threads spin between parallel regions by default. A training step makes thousands of small calls, and
    // on a machine with anything else running a spinning thread takes the core its partner needs: steps ran 10×
    // slower beside one other busy process. Sleeping threads cost a little wake-up time instead. libgomp reads this
    // when it loads, so it must be set before; a value the user set wins.
    process.env.OMP_WAIT_POLICY ??= "passive";
    const lib = koffi.load(process.env.ZOETROPE_DNNL_LIB || "libdnnl.so.2");
    const b = bind(lib);
    const engine: Pointer[] = [null];
    check(b, b.engineCreate(engine, ENGINE_CPU, 0), "engine");
    const stream: Pointer[] = [null];
    check(b, b.streamCreate(stream, engine[0], STREAM_DEFAULT), "stream");
    api = { b, engine: engine[0], stream: stream[0] };
  }
  const v = koffi.decode(api.b.version(), "dnnl_version_t") as { major: number; minor: number; patch: number };
  return { version: `${v.major}.${v.minor}.${v.patch}` };
}

function dnnl() {
  if (api == null) loadDnnl();
  return api!;
}

function check(b: Bindings, status: number, what: string): void {
  if (status !== 0) throw new Error(`oneDNN ${what}: ${b.status2str(status)}`);
}

function dimsOf(values: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(MAX_NDIMS);
  values.forEach((v, i) => (out[i] = BigInt(v)));
  return out;
}

/** A dense f32 memory descriptor: logical dims (oneDNN's order) with the strides of the buffer's real layout. */
export function memoryDesc(dims: readonly number[], strides: readonly number[]): Uint8Array {
  const { b } = dnnl();
  const md = new Uint8Array(MEMORY_DESC_BYTES);
  check(b, b.mdByStrides(md, dims.length, dimsOf(dims), DataType.f32, dimsOf(strides)), "memory descriptor");
  return md;
}

/** A descriptor of `dims` whose layout the primitive chooses (oneDNN's blocked formats run its fastest kernels). */
export function anyDesc(dims: readonly number[]): Uint8Array {
  const { b } = dnnl();
  const md = new Uint8Array(MEMORY_DESC_BYTES);
  check(b, b.mdByTag(md, dims.length, dimsOf(dims), DataType.f32, FORMAT_ANY), "memory descriptor");
  return md;
}

/** Row-major strides of `shape`, permuted: stridesFor([N,H,W,C], [0,3,1,2]) gives the strides of N,C,H,W. */
export function permutedStrides(shape: readonly number[], order: readonly number[]): number[] {
  const rowMajor = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    rowMajor[i] = s;
    s *= shape[i];
  }
  return order.map((i) => rowMajor[i]);
}

/** A primitive and the memory objects bound to its arguments, ready to point at new buffers and run. */
export interface Primitive {
  run(buffers: Partial<Record<Arg, Float32Array>>): void;
}

/** A primitive with one memory object per argument, created without buffers. */
function bound(pd: Pointer, args: Array<{ arg: number; md: Desc }>): { memory: Map<number, Pointer>; execute(): void } {
  const { b, engine, stream } = dnnl();
  const prim: Pointer[] = [null];
  check(b, b.primitiveCreate(prim, pd), "primitive");
  const list = args.map(({ arg, md }) => {
    const m: Pointer[] = [null];
    check(b, b.memoryCreate(m, md, engine, null), "memory");
    return { arg, memory: m[0] };
  });
  return { memory: new Map(list.map((m) => [m.arg, m.memory])), execute: () => check(b, b.execute(prim[0], stream, list.length, list), "execute") };
}

/**
 * Creates the primitive of `opDesc`, whose descriptors may leave the layout to oneDNN (anyDesc). Where the layout
 * it chooses differs from the user's (`userMds`, how the real buffers lie), that argument goes through an internal
 * buffer and a reorder: before the primitive for what it reads, after it for what it writes.
 */
function makePrimitive(opDesc: Uint8Array, hint: Pointer, userMds: Partial<Record<Arg, Uint8Array>>): Primitive & { pd: Pointer } {
  const { b, engine, stream } = dnnl();
  const pd: Pointer[] = [null];
  check(b, b.pdCreate(pd, opDesc, null, engine, hint), "primitive descriptor");
  const setHandle = (memory: Pointer, buf: Float32Array) => check(b, b.setHandle(memory, buf), "set handle");

  const chosen = new Map<number, Desc>();
  for (const key of Object.keys(userMds)) chosen.set(Number(key), b.pdQueryMd(pd[0], QUERY_EXEC_ARG_MD, Number(key)));
  const main = bound(pd[0], [...chosen].map(([arg, md]) => ({ arg, md })));
  const before: Array<() => void> = [];
  const after: Array<() => void> = [];
  const userMemory = new Map<number, Pointer>(); // where each argument's user buffer goes
  // The internal buffers in oneDNN's layouts, taken from the pool for each run and given back after it: kept for
  // the primitive's life, every convolution's three primitives held activation-sized copies (some 500 MB in a
  // MoCoGAN step at the paper's width) that nothing used between runs.
  const internals: Array<{ floats: number; memories: Pointer[] }> = [];
  for (const [arg, md] of chosen) {
    const user = userMds[arg as Arg]!;
    if (b.mdEqual(md, user) === 1) {
      userMemory.set(arg, main.memory.get(arg));
      continue;
    }
    const output = OUTPUTS.has(arg);
    const [from, to] = output ? [md, user] : [user, md];
    const rpd: Pointer[] = [null];
    check(b, b.reorderPd(rpd, from, engine, to, engine, null), "reorder");
    const reorder = bound(rpd[0], [{ arg: Arg.src, md: from }, { arg: Arg.dst, md: to }]);
    internals.push({ floats: Math.ceil(b.mdSize(md) / 4), memories: [main.memory.get(arg), reorder.memory.get(output ? Arg.src : Arg.dst)] });
    userMemory.set(arg, reorder.memory.get(output ? Arg.dst : Arg.src));
    (output ? after : before).push(reorder.execute);
  }
  return {
    pd: pd[0],
    run(buffers) {
      for (const [arg, memory] of userMemory) {
        const buf = buffers[arg as Arg];
        if (buf == null) throw new Error(`oneDNN primitive: no buffer for argument ${arg}`);
        setHandle(memory, buf);
      }
      const scratch = internals.map(({ floats, memories }) => {
        const buf = pool.take(floats);
        pool.attach(buf);
        for (const m of memories) setHandle(m, buf);
        return buf;
      });
      try {
        for (const r of before) r();
        main.execute();
        for (const r of after) r();
        check(b, b.streamWait(stream), "wait");
      } finally {
        for (const buf of scratch) pool.detach(buf);
      }
    },
  };
}

const cache = new Map<string, Primitive>();

function cached(key: string, make: () => Primitive): Primitive {
  let p = cache.get(key);
  if (p == null) {
    p = make();
    cache.set(key, p);
  }
  return p;
}

/** Geometry of an N-d convolution over channels-last buffers: x [B, …in, Cin], filter [...k, Cin, Cout]. */
export interface ConvSpec {
  batch: number;
  inChannels: number;
  outChannels: number;
  inSpatial: number[];
  outSpatial: number[];
  kernel: number[];
  strides: number[];
  dilations: number[]; // 1 = dense
  padBefore: number[];
}

function convDescs(s: ConvSpec) {
  const r = s.inSpatial.length;
  const toNcx = [0, r + 1, ...s.inSpatial.map((_, i) => i + 1)]; // channels-last buffer → oneDNN's N, C, spatial…
  const xShape = [s.batch, ...s.inSpatial, s.inChannels];
  const yShape = [s.batch, ...s.outSpatial, s.outChannels];
  const wShape = [...s.kernel, s.inChannels, s.outChannels]; // TF.js filter order
  const toOix = [r + 1, r, ...s.kernel.map((_, i) => i)];
  const x = memoryDesc(toNcx.map((i) => xShape[i]), permutedStrides(xShape, toNcx));
  const y = memoryDesc(toNcx.map((i) => yShape[i]), permutedStrides(yShape, toNcx));
  const w = memoryDesc(toOix.map((i) => wShape[i]), permutedStrides(wShape, toOix));
  const padAfter = s.outSpatial.map((o, i) => (o - 1) * s.strides[i] + (s.kernel[i] - 1) * s.dilations[i] + 1 - s.inSpatial[i] - s.padBefore[i]);
  const geo = [dimsOf(s.strides), dimsOf(s.dilations.map((d) => d - 1)), dimsOf(s.padBefore), dimsOf(padAfter)] as const;
  // What the primitive is created with: every layout left to oneDNN, which picks blocked formats for its fast
  // kernels (on TF.js's own layouts it falls back to a slow gemm-based convolution).
  const any = { x: anyDesc(toNcx.map((i) => xShape[i])), y: anyDesc(toNcx.map((i) => yShape[i])), w: anyDesc(toOix.map((i) => wShape[i])) };
  return { x, y, w, geo, any };
}

const specKey = (op: string, s: ConvSpec) => `${op}|${JSON.stringify(s)}`;

function convForwardPrimitive(s: ConvSpec): Primitive & { pd?: Pointer } {
  return cached(specKey("fwd", s), () => {
    const { b } = dnnl();
    const { x, y, w, geo, any } = convDescs(s);
    const desc = new Uint8Array(OP_DESC_BYTES);
    check(b, b.convFwd(desc, Prop.forwardTraining, CONVOLUTION_DIRECT, any.x, any.w, null, any.y, ...geo), "convolution forward");
    return makePrimitive(desc, null, { [Arg.src]: x, [Arg.weights]: w, [Arg.dst]: y });
  });
}

/** y = conv(x, w): x [B, …, Cin], w [...k, Cin, Cout], y [B, …out, Cout]. */
export function convForward(s: ConvSpec, x: Float32Array, w: Float32Array, y: Float32Array): void {
  convForwardPrimitive(s).run({ [Arg.src]: x, [Arg.weights]: w, [Arg.dst]: y });
}

/** dx from dy and w (the transposed convolution). */
export function convBackwardData(s: ConvSpec, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  cached(specKey("bwd-data", s), () => {
    const { b } = dnnl();
    const { x, y, w: wd, geo, any } = convDescs(s);
    const desc = new Uint8Array(OP_DESC_BYTES);
    check(b, b.convBwdData(desc, CONVOLUTION_DIRECT, any.x, any.w, any.y, ...geo), "convolution backward data");
    return makePrimitive(desc, (convForwardPrimitive(s) as { pd: Pointer }).pd, { [Arg.diffDst]: y, [Arg.weights]: wd, [Arg.diffSrc]: x });
  }).run({ [Arg.diffDst]: dy, [Arg.weights]: w, [Arg.diffSrc]: dx });
}

/** dw from x and dy. */
export function convBackwardWeights(s: ConvSpec, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  cached(specKey("bwd-weights", s), () => {
    const { b } = dnnl();
    const { x: xd, y, w, geo, any } = convDescs(s);
    const desc = new Uint8Array(OP_DESC_BYTES);
    check(b, b.convBwdWeights(desc, CONVOLUTION_DIRECT, any.x, any.w, null, any.y, ...geo), "convolution backward weights");
    return makePrimitive(desc, (convForwardPrimitive(s) as { pd: Pointer }).pd, { [Arg.src]: xd, [Arg.diffDst]: y, [Arg.diffWeights]: w });
  }).run({ [Arg.src]: x, [Arg.diffDst]: dy, [Arg.diffWeights]: dw });
}

/** Batched product c[b] = op(a[b])·op(b[b]) of row-major buffers (batch dims already broadcast to `batch`). */
export interface MatMulSpec {
  batch: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** 0 when that operand is one matrix shared by every batch (a broadcast), else 1. */
  batchStrideA: 0 | 1;
  batchStrideB: 0 | 1;
}

export function matMul(s: MatMulSpec, a: Float32Array, bMat: Float32Array, c: Float32Array): void {
  cached(`mm|${JSON.stringify(s)}`, () => {
    const { b } = dnnl();
    // Logical dims [batch, rows, cols] of each operand as oneDNN sees it; strides say how it lies in memory.
    const aStrides = s.transposeA ? [s.m * s.k, 1, s.m] : [s.m * s.k, s.k, 1];
    const bStrides = s.transposeB ? [s.k * s.n, 1, s.k] : [s.k * s.n, s.n, 1];
    // A shared operand has batch dim 1, which oneDNN broadcasts.
    const aMd = memoryDesc([s.batchStrideA === 0 ? 1 : s.batch, s.m, s.k], aStrides);
    const bMd = memoryDesc([s.batchStrideB === 0 ? 1 : s.batch, s.k, s.n], bStrides);
    const cMd = memoryDesc([s.batch, s.m, s.n], [s.m * s.n, s.n, 1]);
    const desc = new Uint8Array(OP_DESC_BYTES);
    check(b, b.matmul(desc, aMd, bMd, null, cMd), "matmul");
    return makePrimitive(desc, null, { [Arg.src]: aMd, [Arg.weights]: bMd, [Arg.dst]: cMd });
  }).run({ [Arg.src]: a, [Arg.weights]: bMat, [Arg.dst]: c });
}

/** Row-major strides of a shape. */
const rowMajor = (shape: readonly number[]) => permutedStrides(shape, shape.map((_, i) => i));

export const enum BinaryAlg {
  add = 131056,
  mul = 131057,
  max = 131058,
  min = 131059,
  div = 131060,
  sub = 131061,
  gt = 131063,
}

/** dst = a ∘ b over row-major buffers of equal rank; b may have 1s where dst does not (broadcast), a may not. */
export function binary(alg: BinaryAlg, aShape: readonly number[], bShape: readonly number[], a: Float32Array, bBuf: Float32Array, dst: Float32Array): void {
  cached(`bin|${alg}|${aShape}|${bShape}`, () => {
    const { b } = dnnl();
    const [aMd, bMd] = [memoryDesc(aShape, rowMajor(aShape)), memoryDesc(bShape, rowMajor(bShape))];
    const desc = new Uint8Array(OP_DESC_BYTES);
    check(b, b.binary(desc, alg, aMd, bMd, aMd), "binary");
    return makePrimitive(desc, null, { [Arg.src]: aMd, [Arg.src1]: bMd, [Arg.dst]: aMd });
  }).run({ [Arg.src]: a, [Arg.src1]: bBuf, [Arg.dst]: dst });
}

export const enum EltwiseAlg {
  relu = 31,
  tanh = 47,
  elu = 63,
  square = 79,
  abs = 95,
  sqrt = 111,
  linear = 127,
  logistic = 175,
  exp = 191,
  log = 239,
}

/** dst = f(src) element-wise (alpha, beta as oneDNN defines them per algorithm). */
export function eltwise(alg: EltwiseAlg, size: number, src: Float32Array, dst: Float32Array, alpha = 0, beta = 0): void {
  cached(`elt|${alg}|${size}|${alpha}|${beta}`, () => {
    const { b } = dnnl();
    const md = memoryDesc([size], [1]);
    const desc = new Uint8Array(OP_DESC_BYTES);
    check(b, b.eltwise(desc, Prop.forwardTraining, alg, md, alpha, beta), "eltwise");
    return makePrimitive(desc, null, { [Arg.src]: md, [Arg.dst]: md });
  }).run({ [Arg.src]: src, [Arg.dst]: dst });
}

export const enum ReductionAlg {
  max = 196594,
  min = 196595,
  sum = 196596,
  mean = 196598,
}

/** Reduces a row-major buffer of `shape` to `outShape` (the same rank, 1 on every reduced axis). */
export function reduce(alg: ReductionAlg, shape: readonly number[], outShape: readonly number[], src: Float32Array, dst: Float32Array): void {
  cached(`red|${alg}|${shape}|${outShape}`, () => {
    const { b } = dnnl();
    const [inMd, outMd] = [memoryDesc(shape, rowMajor(shape)), memoryDesc(outShape, rowMajor(outShape))];
    const desc = new Uint8Array(OP_DESC_BYTES);
    check(b, b.reduction(desc, alg, inMd, outMd, 0, 0), "reduction");
    return makePrimitive(desc, null, { [Arg.src]: inMd, [Arg.dst]: outMd });
  }).run({ [Arg.src]: src, [Arg.dst]: dst });
}
