import { convCases } from "./cases_conv";
import { layerCases } from "./cases_layers";

export const allCases = [...convCases, ...layerCases];
