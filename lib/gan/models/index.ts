// The model registry: every video GAN by kind, with its published defaults.
import type { VideoGan } from "../types";
import { Mocogan, MocoganConfig, createMocogan, defaultMocoganConfig } from "./mocogan";
import { Tgan, TganConfig, createTgan, defaultTganConfig, tganHingeSpectralNorm } from "./tgan";
import { Vgan, VganConfig, createVgan, defaultVganConfig } from "./vgan";

export const modelKinds = ["tgan", "mocogan", "vgan"] as const;
export type ModelKind = (typeof modelKinds)[number];

export interface ModelConfigs {
  tgan: TganConfig;
  mocogan: MocoganConfig;
  vgan: VganConfig;
}

export interface Models {
  tgan: Tgan;
  mocogan: Mocogan;
  vgan: Vgan;
}

export const defaultConfigs: { readonly [K in ModelKind]: Readonly<ModelConfigs[K]> } = {
  tgan: defaultTganConfig,
  mocogan: defaultMocoganConfig,
  vgan: defaultVganConfig,
};

/** Channel-width multiplier for CPU-sized versions (channels /16: 64 → 4, 512 → 32). */
export const tinyWidth = 1 / 16;

export function isModelKind(kind: string): kind is ModelKind {
  return (modelKinds as readonly string[]).includes(kind);
}

/** Builds a model from its published defaults plus `overrides`; same (kind, overrides, seed) → same weights. */
export function createModel<K extends ModelKind>(kind: K, overrides: Partial<ModelConfigs[K]> = {}, seed = 0): Models[K] & VideoGan<ModelConfigs[K]> {
  for (const key of Object.keys(overrides)) {
    if (!(key in defaultConfigs[kind])) throw new Error(`unknown ${kind} config field "${key}"`);
  }
  const builders: { [P in ModelKind]: (o: Partial<ModelConfigs[P]>, s: number) => Models[P] } = {
    tgan: createTgan,
    mocogan: createMocogan,
    vgan: createVgan,
  };
  return builders[kind](overrides, seed) as Models[K] & VideoGan<ModelConfigs[K]>;
}

export { Mocogan, Tgan, Vgan, tganHingeSpectralNorm };
export type { MocoganConfig, TganConfig, VganConfig };
