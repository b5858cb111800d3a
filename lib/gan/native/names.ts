/** The native backend's name in TF.js's registries. */
export const NATIVE = "native";
