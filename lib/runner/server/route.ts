// The guard every kernel route passes first: server kernels must be available here (availability.ts), and the
// request must come from a page of this origin, reads included (proxy.ts already checks writes, and the login).
import { crossOriginRequest } from "../../auth/csrf";
import { ApiError } from "../../tracker/errors";
import { route } from "../../tracker/http";
import { serverKernelAvailability } from "./availability";

export function kernelRoute<P = Record<string, never>>(fn: (req: Request, params: P) => Promise<Response>) {
  return route<P>(async (req, params) => {
    const availability = serverKernelAvailability();
    if (!availability.available) throw new ApiError(403, "forbidden", availability.reason);
    const crossOrigin = crossOriginRequest(req);
    if (crossOrigin) throw new ApiError(403, "forbidden", `cross-origin request refused: ${crossOrigin}`);
    return fn(req, params);
  });
}
