import { kernelRoute } from "@/lib/runner/server/route";
import { kernels } from "@/lib/runner/server/kernels";
import { kernelCommands } from "@/lib/runner/server/schemas";
import { notFound } from "@/lib/tracker/errors";
import { otherMethods, readJsonAs } from "@/lib/tracker/http";

type Params = { id: string };

/** {commands: KernelCommand[]} → 202: queued for the kernel, in order; what they do arrives as events. */
export const POST = kernelRoute<Params>(async (req, { id }) => {
  const { commands } = await readJsonAs(req, kernelCommands);
  if (!kernels().command(id, commands)) throw notFound("kernel", id);
  return new Response(null, { status: 202 });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
