// Kernel events and commands as JSON text, for a server kernel's HTTP transport. Two things JSON cannot say travel
// tagged: bytes (a sample's GIF, an image output) as {"$bytes": base64}, and the numbers NaN, Infinity and
// -Infinity (a diverged loss is worth showing) as {"$number": "NaN"}. Runs in Node and in browsers (btoa, atob).

const CHUNK = 0x8000;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) return { $bytes: toBase64(v) };
    if (typeof v === "number" && !Number.isFinite(v)) return { $number: String(v) };
    return v;
  });
}

export function decodeWire<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1) return v;
    const tagged = v as { $bytes?: unknown; $number?: unknown };
    if (typeof tagged.$bytes === "string") return fromBase64(tagged.$bytes);
    if (typeof tagged.$number === "string") return Number(tagged.$number);
    return v;
  }) as T;
}
