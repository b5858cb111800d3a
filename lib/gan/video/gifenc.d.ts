// Types for the parts of gifenc 1.0 this project uses (the package ships none).
declare module "gifenc" {
  export type Palette = number[][]; // [[r, g, b], …]

  export interface GifEncoderStream {
    writeFrame(
      index: Uint8Array,
      width: number,
      height: number,
      opts?: { palette?: Palette; delay?: number; repeat?: number; transparent?: boolean; dispose?: number },
    ): void;
    finish(): void;
    bytes(): Uint8Array;
  }

  export function GIFEncoder(opts?: { auto?: boolean; initialCapacity?: number }): GifEncoderStream;
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, opts?: { format?: string }): Palette;
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: string): Uint8Array;

  // The ESM build's default is GIFEncoder; Node, loading the CommonJS build, gives the whole exports object.
  const defaultExport: unknown;
  export default defaultExport;
}
