import { otherMethods, route } from "@/lib/tracker/http";
import { serveFile } from "@/lib/tracker/range";
import { sampleFile } from "@/lib/tracker/samples";

type Params = { id: string };

/** The sample's bytes with its sniffed Content-Type; supports Range (206/416) for video seeking. */
export const GET = route<Params>(async (req, { id }) => {
  const { file, mime } = await sampleFile(id);
  return serveFile(req, file, { mime, what: "sample" });
});

export const HEAD = GET;

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
