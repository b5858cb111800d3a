import { describe, expect, it } from "vitest";
import { MAX_QUERY_DEPTH, QueryError, formatQuery, parseQuery, type QueryNode } from "@/lib/query";

/** The tree without source positions, for comparing structure. */
function shape(node: QueryNode | null): unknown {
  if (!node) return null;
  switch (node.kind) {
    case "compare":
      return { field: node.field, op: node.op, value: node.value };
    case "not":
      return { not: shape(node.operand) };
    default:
      return { [node.kind]: [shape(node.left), shape(node.right)] };
  }
}

const cmp = (name: string, op: string, value: unknown) => ({ field: { kind: "attr", name }, op, value });

function errorOf(text: string): QueryError {
  try {
    parseQuery(text);
  } catch (err) {
    if (err instanceof QueryError) return err;
    throw err;
  }
  throw new Error(`expected ${text} to fail`);
}

describe("parseQuery: structure", () => {
  it("parses the issue's example into two left-nested ands", () => {
    const ast = parseQuery('params.model = "mocogan" and metrics.loss_d < 0.7 and status = "finished"');
    expect(shape(ast)).toEqual({
      and: [
        {
          and: [
            { field: { kind: "param", path: ["model"] }, op: "=", value: "mocogan" },
            { field: { kind: "metric", key: "loss_d" }, op: "<", value: 0.7 },
          ],
        },
        cmp("status", "=", "finished"),
      ],
    });
  });

  it("binds and tighter than or, on either side", () => {
    expect(shape(parseQuery('name = "a" or name = "b" and seed = 1'))).toEqual({
      or: [cmp("name", "=", "a"), { and: [cmp("name", "=", "b"), cmp("seed", "=", 1)] }],
    });
    expect(shape(parseQuery('name = "a" and seed = 1 or name = "b"'))).toEqual({
      or: [{ and: [cmp("name", "=", "a"), cmp("seed", "=", 1)] }, cmp("name", "=", "b")],
    });
  });

  it("lets parentheses override precedence, nested and redundant", () => {
    expect(shape(parseQuery('(name = "a" or name = "b") and seed = 1'))).toEqual({
      and: [{ or: [cmp("name", "=", "a"), cmp("name", "=", "b")] }, cmp("seed", "=", 1)],
    });
    expect(shape(parseQuery("((seed = 1))"))).toEqual(cmp("seed", "=", 1));
  });

  it("reads not as tighter than and, and stackable", () => {
    expect(shape(parseQuery("not seed = 1 and seed = 2"))).toEqual({
      and: [{ not: cmp("seed", "=", 1) }, cmp("seed", "=", 2)],
    });
    expect(shape(parseQuery("not not seed = 1"))).toEqual({ not: { not: cmp("seed", "=", 1) } });
  });

  it("takes every operator, == as =", () => {
    for (const op of ["=", "!=", "<", "<=", ">", ">="]) expect(shape(parseQuery(`seed ${op} 3`))).toEqual(cmp("seed", op, 3));
    expect(shape(parseQuery('name ~ "gan"'))).toEqual(cmp("name", "~", "gan"));
    expect(shape(parseQuery("seed == 3"))).toEqual(cmp("seed", "=", 3));
    expect(shape(parseQuery("seed>=3"))).toEqual(cmp("seed", ">=", 3));
  });

  it("reads numbers with exponents, signs and leading dots", () => {
    const values = ["2e-4", "-1", "-0.5", ".5", "1E3", "10", "3.", "1e+2"].map((n) => {
      const ast = parseQuery(`params.lr = ${n}`);
      return ast?.kind === "compare" ? ast.value : undefined;
    });
    expect(values).toEqual([2e-4, -1, -0.5, 0.5, 1000, 10, 3, 100]);
  });

  it("reads string escapes, true, false and null (keywords in any case)", () => {
    const v = (text: string) => {
      const ast = parseQuery(text);
      return ast?.kind === "compare" ? ast.value : undefined;
    };
    expect(v(String.raw`name = "a \"b\" \\ \n \u00e9"`)).toBe('a "b" \\ \n é');
    expect(v("params.ema = true")).toBe(true);
    expect(v("params.ema = FALSE")).toBe(false);
    expect(v("backend = null")).toBe(null);
    expect(shape(parseQuery("seed = 1 AND seed = 2 Or NOT seed = 3"))).toEqual({
      or: [{ and: [cmp("seed", "=", 1), cmp("seed", "=", 2)] }, { not: cmp("seed", "=", 3) }],
    });
  });

  it("reads every field kind", () => {
    const field = (text: string) => {
      const ast = parseQuery(`${text} = null`);
      return ast?.kind === "compare" ? ast.field : undefined;
    };
    expect(field("params.g.channels.0")).toEqual({ kind: "param", path: ["g", "channels", "0"] });
    expect(field('params."batch size"')).toEqual({ kind: "param", path: ["batch size"] });
    expect(field("metrics.loss/d")).toEqual({ kind: "metric", key: "loss/d" });
    expect(field('metrics."loss/d"')).toEqual({ kind: "metric", key: "loss/d" });
    expect(field("metrics.`fvd @16`")).toEqual({ kind: "metric", key: "fvd @16" });
    expect(field("metrics.eval.fvd")).toEqual({ kind: "metric", key: "eval.fvd" });
    expect(field("params.taux_é")).toEqual({ kind: "param", path: ["taux_é"] });
    for (const name of ["id", "name", "status", "backend", "experiment", "seed", "duration", "started", "ended"]) {
      expect(field(name)).toEqual({ kind: "attr", name });
    }
  });

  it("records each comparison's span in the text", () => {
    const ast = parseQuery('seed = 1 or  name ~ "x"');
    expect(ast?.kind === "or" && ast.right.kind === "compare" && ast.right.span).toEqual({ start: 13, end: 23 });
  });

  it("answers null for blank text", () => {
    expect(parseQuery("")).toBeNull();
    expect(parseQuery("  \n ")).toBeNull();
  });
});

describe("parseQuery: errors name what was expected, and where", () => {
  it("a missing value after an operator", () => {
    const err = errorOf('params.model = "x" and seed < ');
    expect(err.message).toMatch(/^expected a value .* after '<', found the end of the query at 30$/);
    expect([err.position, err.length]).toEqual([30, 0]);
  });

  it("a bare word where a value goes", () => {
    const err = errorOf("status = finished");
    expect(err.message).toContain("found 'finished' (text needs double quotes) at 9");
    expect([err.position, err.length]).toEqual([9, 8]);
  });

  it("an unterminated string, from its opening quote", () => {
    const err = errorOf('name = "abc');
    expect(err.message).toBe("unterminated string starting at 7");
    expect([err.position, err.length]).toEqual([7, 4]);
    expect(errorOf('name = "abc\\').position).toBe(7);
  });

  it("an unknown escape", () => {
    expect(errorOf(String.raw`name = "a\qb"`)).toMatchObject({ position: 9, length: 2 });
  });

  it("an unknown field", () => {
    const err = errorOf('seed = 1 and loss < 2');
    expect(err.message).toMatch(/^unknown field 'loss': expected params.<key>, metrics.<key>, id, .* at 13$/);
    expect([err.position, err.length]).toEqual([13, 4]);
  });

  it("params or metrics without a key", () => {
    expect(errorOf("params = 1")).toMatchObject({ position: 7 });
    expect(errorOf("metrics. < 1").message).toBe("expected a key after 'metrics.', found '<' at 9");
  });

  it("a missing operator", () => {
    expect(errorOf('name "x"').message).toMatch(/^expected an operator .* after 'name', found "x" at 5$/);
  });

  it("a missing operand of and, or, not", () => {
    expect(errorOf("seed = 1 and").message).toBe("expected a condition after 'and', found the end of the query at 12");
    expect(errorOf("seed = 1 or or seed = 2")).toMatchObject({ position: 12, length: 2 });
    expect(errorOf("not")).toMatchObject({ position: 3, length: 0 });
    expect(errorOf("and seed = 1")).toMatchObject({ position: 0, length: 3 });
  });

  it("trailing garbage", () => {
    const err = errorOf('seed = 1 name = "x"');
    expect(err.message).toBe("expected 'and', 'or' or the end of the query, found 'name' at 9");
    expect(errorOf("seed = 1 2")).toMatchObject({ position: 9, length: 1 });
  });

  it("unbalanced parentheses", () => {
    const open = errorOf("(seed = 1 or seed = 2");
    expect(open.message).toBe("expected ')' to close the '(' at 0, found the end of the query at 21");
    expect(errorOf("seed = 1)")).toMatchObject({ position: 8, message: "unexpected ')' with no '(' to close at 8" });
    expect(errorOf("()")).toMatchObject({ position: 1 });
  });

  it("nesting past MAX_QUERY_DEPTH, of parentheses or not, at the first level too deep", () => {
    const deep = (n: number) => "(".repeat(n) + "seed = 1" + ")".repeat(n);
    expect(parseQuery(deep(MAX_QUERY_DEPTH))).not.toBeNull();
    expect(errorOf(deep(MAX_QUERY_DEPTH + 1))).toMatchObject({
      position: MAX_QUERY_DEPTH,
      length: 1,
      message: `nested deeper than ${MAX_QUERY_DEPTH} levels of parentheses and 'not' at ${MAX_QUERY_DEPTH}`,
    });
    expect(errorOf("(".repeat(3000)).position).toBe(MAX_QUERY_DEPTH); // the request that overflowed the stack
    expect(errorOf("not ".repeat(1000) + "seed = 1").position).toBe(4 * MAX_QUERY_DEPTH);
    expect(errorOf("(not ".repeat(40) + "seed = 1" + ")".repeat(40)).message).toMatch(/^nested deeper/);
  });

  it("bad characters and numbers", () => {
    expect(errorOf("seed = 1 & seed = 2")).toMatchObject({ position: 9, message: "unexpected character '&' at 9" });
    expect(errorOf("seed ! 1")).toMatchObject({ position: 5 });
    expect(errorOf("seed = 2abc")).toMatchObject({ position: 7, length: 4, message: "invalid number '2abc' at 7" });
    expect(errorOf("seed = 1.2.3")).toMatchObject({ position: 7, length: 5 });
  });

  it("a value of the wrong kind for the field", () => {
    expect(errorOf('seed = "1"').message).toBe("seed is a number: expected a number at 7");
    expect(errorOf('metrics.loss ~ "1"')).toMatchObject({ position: 13 });
    expect(errorOf("started > 2026").message).toMatch(/^started is a date/);
    expect(errorOf("name ~ 3").message).toBe(`'~' (contains) needs a "text" value at 7`);
    expect(errorOf("params.lr < null").position).toBe(12);
    expect(errorOf('status = "finshed"').message).toBe(
      'unknown status "finshed": expected one of running, finished, failed, interrupted at 9',
    );
  });
});

/** A small seeded generator (mulberry32): the property test is random but repeatable. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("formatQuery", () => {
  it("prints the fewest parentheses that keep the meaning", () => {
    const text = '(name = "a" or name = "b") and not (seed = 1 or seed = 2) and metrics."loss d" >= -0.5';
    expect(formatQuery(parseQuery(text))).toBe(text.replace('"loss d"', "`loss d`"));
    expect(formatQuery(parseQuery("seed = 1 or (seed = 2 or seed = 3)"))).toBe("seed = 1 or (seed = 2 or seed = 3)");
  });

  it("round-trips random trees: parse(format(tree)) is the tree (property, 500 cases)", () => {
    const random = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const keys = ["lr", "g", "0", "loss/d", "a b", "x`y", "é", "batch-size"];
    const leaf = (): QueryNode => {
      const kind = pick(["param", "metric", "name", "seed"] as const);
      if (kind === "param") {
        const path = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(keys));
        const value = pick([1, -2.5, 2e-4, 1e21, "mocogan", 'q"\\\n', true, false, null]);
        return { kind: "compare", field: { kind: "param", path }, op: value === null ? "=" : pick(["=", "!=", "<"]), value, span: { start: 0, end: 0 } };
      }
      if (kind === "metric") {
        return { kind: "compare", field: { kind: "metric", key: pick(keys) }, op: pick([">", "<=", ">="]), value: random() - 0.5, span: { start: 0, end: 0 } };
      }
      if (kind === "name") return { kind: "compare", field: { kind: "attr", name: "name" }, op: "~", value: pick(keys), span: { start: 0, end: 0 } };
      return { kind: "compare", field: { kind: "attr", name: "seed" }, op: "!=", value: Math.floor(random() * 100), span: { start: 0, end: 0 } };
    };
    const tree = (depth: number): QueryNode => {
      if (depth === 0 || random() < 0.3) return leaf();
      const kind = pick(["and", "or", "not"] as const);
      return kind === "not" ? { kind, operand: tree(depth - 1) } : { kind, left: tree(depth - 1), right: tree(depth - 1) };
    };
    for (let i = 0; i < 500; i++) {
      const t = tree(4);
      const text = formatQuery(t);
      expect(shape(parseQuery(text)), text).toEqual(shape(t));
    }
  });
});
