// The JSON body of GET /api/runs/:id/metrics, streamed in pieces. Printing 3M numbers is the slow part of a large
// read; streaming lets the first bytes leave while the rest prints, and never holds the whole text (40 MB for 1M
// points) plus its UTF-8 copy in memory.
import type { SeriesResult } from "./metrics";

/** Numbers per piece: large enough that per-piece overhead vanishes, small enough to start sending early. */
const PIECE = 65_536;

/** `a` as comma-separated JSON numbers, in pieces; NaN and ±Infinity print as null (JSON.stringify's rule). */
function* numbers(a: Float64Array): Generator<string> {
  for (let i = 0; i < a.length; i += PIECE) {
    const text = JSON.stringify(Array.from(a.subarray(i, i + PIECE)));
    yield (i ? "," : "") + text.slice(1, -1);
  }
}

/** {series: {[key]: {steps, values, times, total}}} as text pieces. */
export function* seriesJsonPieces(series: Map<string, SeriesResult>): Generator<string> {
  yield '{"series":{';
  let first = true;
  for (const [key, s] of series) {
    yield `${first ? "" : ","}${JSON.stringify(key)}:{"steps":[`;
    first = false;
    yield* numbers(s.steps);
    yield '],"values":[';
    yield* numbers(s.values);
    yield '],"times":[';
    yield* numbers(s.times);
    yield `],"total":${s.total}}`;
  }
  yield "}}";
}

/** The pieces as a byte stream, printed on demand as the consumer reads. */
export function seriesJsonStream(series: Map<string, SeriesResult>): ReadableStream<Uint8Array> {
  const pieces = seriesJsonPieces(series);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}
