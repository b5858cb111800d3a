// A backward pass that frees memory as it goes.
//
// TF.js 4.22's Engine.gradients keeps, until the whole backward pass ends, the gradient of every intermediate tensor
// and every tensor the forward pass saved for the backward one. PyTorch frees each as soon as the last node that
// needs it is done. In a GAN step the kept gradients are as large as the activations, so TF.js's peak memory is
// about the activations twice over where it needs them once. This is the same walk (tfjs-core's engine.ts
// `gradients` and tape.ts `backpropagateGradients`, Apache-2.0, whose module TF.js does not export) with one
// change: once a node's gradient is computed, the gradients of its outputs and the tensors it saved are freed.
//
// Only the outermost gradient frees: while a gradient is itself being differentiated (R1, WGAN-GP), its backward
// pass is recorded on the outer tape, and TF.js's own rules (keep everything until the outer pass ends) apply.
import * as tf from "@tensorflow/tfjs-core";

/** A tape node as tfjs-core records it. */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
  saved?: tf.Tensor[];
}

/** The engine members `gradients` uses (all exist on tfjs-core 4.22's Engine, most of them private). */
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<R>(start: () => void, end: () => void, f: () => R): R;
  startTape(): void;
  endTape(): void;
  tidy<T extends tf.TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T;
  gradients: Gradients;
}

type Gradients = (f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor, allowNoGradients?: boolean) => { value: tf.Tensor; grads: tf.Tensor[] };

/** Makes every later gradient computation (tf.grad, tf.variableGrads, optimisers) free memory as it goes. */
export function installFreeingBackprop(engine = tf.engine() as unknown as EngineInternals): void {
  engine.gradients = function gradients(this: EngineInternals, f, xs, dy, allowNoGradients = false) {
    tf.util.assert(xs.length > 0, () => "gradients() received an empty list of xs.");
    if (dy != null && dy.dtype !== "float32") throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = this.scopedRun(() => this.startTape(), () => this.endTape(), () => this.tidy("forward", f));
    tf.util.assert(y instanceof tf.Tensor, () => "The result y returned by f() must be a tensor.");
    const tape = this.state.activeTape ?? [];
    const filteredTape = filterTape(tape, xs, y);
    if (!allowNoGradients && filteredTape.length === 0 && xs.length > 0) {
      throw new Error("Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.");
    }
    return this.tidy("backward", () => {
      const outermost = this.state.gradientDepth === 0;
      const grads = backpropagate(filteredTape, xs, y, dy, (fn) => this.tidy(fn), outermost);
      if (outermost) {
        for (const node of tape) for (const t of node.saved ?? []) t.dispose();
        this.state.activeTape = null;
      }
      return { value: y, grads };
    });
  };
}

/** The tape's nodes that lead from some x to y, in tape order, each with only the inputs that depend on an x. */
function filterTape(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      nodesFromX.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((o) => toY.has(o.id))) {
      nodesToY.add(node.id);
      for (const t of Object.values(node.inputs)) toY.add(t.id);
    }
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({ ...node, inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, t]) => fromX.has(t.id))) }));
}

/**
 * Walks the tape backward from y and returns the gradient of y for each x. With `free`, a gradient is disposed once
 * the node that produced its tensor has used it, and a node's saved tensors once its gradient is computed.
 */
function backpropagate(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor, dy: tf.Tensor | undefined, tidy: (fn: () => tf.Tensor) => tf.Tensor, free: boolean): tf.Tensor[] {
  const grads = new Map<number, tf.Tensor>(); // tensor id → its accumulated gradient
  const holders = new Map<tf.Tensor, number>(); // gradient → how many ids it is the gradient of (gradients can alias)
  const set = (id: number, g: tf.Tensor): void => {
    grads.set(id, g);
    holders.set(g, (holders.get(g) ?? 0) + 1);
  };
  /** Removes id's gradient, disposing it when no other id holds it. */
  const release = (id: number): void => {
    const g = grads.get(id);
    if (g == null) return;
    grads.delete(id);
    const left = (holders.get(g) ?? 1) - 1;
    if (left > 0) holders.set(g, left);
    else {
      holders.delete(g);
      if (g !== dy) g.dispose(); // the caller's dy is the caller's
    }
  };
  const kept = new Set(xs.map((x) => x.id)); // their gradients are the result
  set(y.id, dy ?? tf.ones(y.shape));

  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null); // null: this output does not lead to y
    if (node.gradient == null) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const inputGradients = node.gradient(dys);
    const dxs = new Set<tf.Tensor>();
    for (const inputName in node.inputs) {
      if (!(inputName in inputGradients)) {
        throw new Error(`Cannot backprop through input ${inputName}. Available gradients found: ${Object.keys(inputGradients)}.`);
      }
      const dx = tidy(() => inputGradients[inputName]());
      if (dx.dtype !== "float32") {
        throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${inputName} must have 'float32' dtype, but has '${dx.dtype}'`);
      }
      const x = node.inputs[inputName];
      if (!tf.util.arraysEqual(dx.shape, x.shape)) {
        throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${inputName}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`);
      }
      dxs.add(dx);
      const current = grads.get(x.id);
      if (current == null) set(x.id, dx);
      else {
        const sum = tf.add(current, dx);
        release(x.id);
        set(x.id, sum);
      }
    }
    if (!free) continue;
    // No node left to walk needs this node's output gradients, what it saved, or the parts it added into sums.
    for (const o of node.outputs) if (!kept.has(o.id)) release(o.id);
    for (const t of node.saved ?? []) if (!dxs.has(t)) t.dispose();
    for (const dx of dxs) if (!holders.has(dx) && dx !== dy) dx.dispose();
  }
  return xs.map((x) => grads.get(x.id)!);
}
