// The run filter language: a recursive-descent parser from text to a small AST, and the printer back.
//
//   query      := or                        (blank text: no filter, parseQuery answers null)
//   or         := and ("or" and)*
//   and        := not ("and" not)*           ("and" binds tighter than "or")
//   not        := "not" not | primary
//   primary    := "(" or ")" | field op value
//   field      := params.<key>[.<key>…] | metrics.<key>[.<key>…] | id | name | status | backend | experiment
//               | seed | duration | started | ended | sweep
//   key        := word (letters of any script, digits, _ / -) | "any text" | `any text`
//   op         := = | != | < | <= | > | >= | ~ (contains, case-insensitive)
//   value      := "string" | number | true | false | null
//
// Keywords are case-insensitive. `metrics.loss/d` needs no quotes; `metrics."loss d"` or `metrics.\`loss d\`` quote a
// key with other characters. A metric key's dotted parts join back with '.'; params' parts walk nested objects.
import { QueryError, describeToken, tokenize, type Token } from "./tokens";

export type Op = "=" | "!=" | "<" | "<=" | ">" | ">=" | "~";
export type Literal = string | number | boolean | null;

/** Run attributes a query can name, and what kind of value each holds. */
export const ATTRIBUTES = {
  id: "text",
  name: "text",
  status: "text",
  backend: "text",
  experiment: "text",
  seed: "number",
  /** seconds */
  duration: "number",
  /** ISO 8601 string: compared as text, which orders ISO dates correctly */
  started: "date",
  ended: "date",
  /** the queued sweep a run is a job of (null for other runs) */
  sweep: "text",
} as const;
export type Attribute = keyof typeof ATTRIBUTES;

export type Field = { kind: "param"; path: string[] } | { kind: "metric"; key: string } | { kind: "attr"; name: Attribute };

export interface Span {
  start: number;
  end: number;
}

export type QueryNode =
  | { kind: "and" | "or"; left: QueryNode; right: QueryNode }
  | { kind: "not"; operand: QueryNode }
  | { kind: "compare"; field: Field; op: Op; value: Literal; span: Span };

export const STATUSES = ["running", "finished", "failed", "interrupted"] as const;

const FIELD_LIST = "params.<key>, metrics.<key>, " + Object.keys(ATTRIBUTES).join(", ");
const OPS = "=, !=, <, <=, >, >= or ~";

/**
 * The deepest nesting of parentheses and `not` a query may have. The parser, the evaluator and the printer recurse
 * once per level; far past this a long query would overflow the stack instead of answering.
 */
export const MAX_QUERY_DEPTH = 64;

class Parser {
  private at = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private get token(): Token {
    return this.tokens[this.at];
  }

  private fail(message: string, t = this.token): never {
    throw new QueryError(`${message} at ${t.start}`, t.start, t.end - t.start);
  }

  private isWord(word: string, t = this.token): boolean {
    return t.kind === "ident" && t.text.toLowerCase() === word;
  }

  query(): QueryNode {
    const node = this.or();
    const t = this.token;
    if (t.kind === ")") this.fail(`unexpected ')' with no '(' to close`);
    if (t.kind !== "end") this.fail(`expected 'and', 'or' or the end of the query, found ${describeToken(t)}`);
    return node;
  }

  private or(): QueryNode {
    let left = this.and();
    while (this.isWord("or")) {
      const op = this.tokens[this.at++];
      left = { kind: "or", left, right: this.operand(op, () => this.and()) };
    }
    return left;
  }

  private and(): QueryNode {
    let left = this.not();
    while (this.isWord("and")) {
      const op = this.tokens[this.at++];
      left = { kind: "and", left, right: this.operand(op, () => this.not()) };
    }
    return left;
  }

  /** Parses what must follow `after` (and/or/not/'('), naming it when nothing is there. */
  private operand(after: Token, parse: () => QueryNode): QueryNode {
    const t = this.token;
    if (t.kind === "end" || t.kind === ")" || this.isWord("and") || this.isWord("or")) {
      this.fail(`expected a condition after '${after.text}', found ${describeToken(t)}`);
    }
    return parse();
  }

  /** Parses one level of nesting (a `not` or a parenthesis) after checking the depth. */
  private nested<T>(t: Token, parse: () => T): T {
    if (++this.depth > MAX_QUERY_DEPTH) this.fail(`nested deeper than ${MAX_QUERY_DEPTH} levels of parentheses and 'not'`, t);
    const result = parse();
    this.depth--;
    return result;
  }

  private not(): QueryNode {
    if (this.isWord("not")) {
      const op = this.tokens[this.at++];
      return this.nested(op, () => ({ kind: "not", operand: this.operand(op, () => this.not()) }));
    }
    return this.primary();
  }

  private primary(): QueryNode {
    const t = this.token;
    if (t.kind === "(") {
      this.at++;
      const inner = this.nested(t, () => this.operand(t, () => this.or()));
      if (this.token.kind !== ")") {
        this.fail(`expected ')' to close the '(' at ${t.start}, found ${describeToken(this.token)}`);
      }
      this.at++;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): QueryNode {
    const start = this.token.start;
    const field = this.field();
    const opToken = this.token;
    if (opToken.kind !== "op") this.fail(`expected an operator (${OPS}) after '${fieldName(field)}', found ${describeToken(opToken)}`);
    this.at++;
    const op = opToken.text as Op;
    const valueToken = this.token;
    const value = this.value(opToken);
    checkTypes(field, op, value, opToken, valueToken);
    return { kind: "compare", field, op, value, span: { start, end: valueToken.end } };
  }

  private field(): Field {
    const t = this.token;
    if (t.kind !== "ident") this.fail(`expected a field (${FIELD_LIST}) or '(', found ${describeToken(t)}`);
    const head = t.text.toLowerCase();
    this.at++;
    if (head === "params" || head === "metrics") {
      const path = this.keyPath(head);
      return head === "params" ? { kind: "param", path } : { kind: "metric", key: path.join(".") };
    }
    if (head in ATTRIBUTES) return { kind: "attr", name: head as Attribute };
    return this.fail(`unknown field '${t.text}': expected ${FIELD_LIST}`, t);
  }

  private keyPath(head: string): string[] {
    const path: string[] = [];
    while (this.token.kind === ".") {
      this.at++;
      const t = this.token;
      if (t.kind !== "segment" && t.kind !== "quoted" && t.kind !== "string") {
        this.fail(`expected a key after '${[head, ...path].join(".")}.', found ${describeToken(t)}`);
      }
      if (t.text === "") this.fail("expected a non-empty key", t);
      path.push(t.text);
      this.at++;
    }
    if (!path.length) this.fail(`expected '.' and a key after '${head}' (e.g. ${head}.lr), found ${describeToken(this.token)}`);
    return path;
  }

  private value(op: Token): Literal {
    const t = this.token;
    const expected = `expected a value ("text", a number, true, false or null) after '${op.text}'`;
    if (t.kind === "string" || t.kind === "number") {
      this.at++;
      return t.kind === "string" ? t.text : t.value!;
    }
    if (t.kind === "ident") {
      const word = t.text.toLowerCase();
      if (word === "true" || word === "false" || word === "null") {
        this.at++;
        return word === "null" ? null : word === "true";
      }
      this.fail(`${expected}, found '${t.text}' (text needs double quotes)`);
    }
    return this.fail(`${expected}, found ${describeToken(t)}`);
  }
}

function checkTypes(field: Field, op: Op, value: Literal, opToken: Token, valueToken: Token): void {
  const at = (message: string, t: Token): never => {
    throw new QueryError(`${message} at ${t.start}`, t.start, t.end - t.start);
  };
  if (op === "~" && typeof value !== "string") at(`'~' (contains) needs a "text" value`, valueToken);
  if (value === null && op !== "=" && op !== "!=") at(`null can only be compared with = or !=`, valueToken);
  const kind = field.kind === "metric" ? "number" : field.kind === "attr" ? ATTRIBUTES[field.name] : "any";
  const name = fieldName(field);
  if (kind === "number" && op === "~") at(`${name} is a number: '~' needs a text field`, opToken);
  if (kind === "number" && typeof value !== "number" && value !== null) at(`${name} is a number: expected a number`, valueToken);
  if ((kind === "text" || kind === "date") && typeof value !== "string" && value !== null) {
    at(`${name} is ${kind === "date" ? 'a date: expected "text" like "2026-11-29"' : 'text: expected "text"'}`, valueToken);
  }
  if (field.kind === "attr" && field.name === "status" && typeof value === "string" && (op === "=" || op === "!=")) {
    if (!STATUSES.includes(value as (typeof STATUSES)[number])) {
      at(`unknown status ${JSON.stringify(value)}: expected one of ${STATUSES.join(", ")}`, valueToken);
    }
  }
}

/** Parses a query; blank text is no filter (null). Throws QueryError with the position of the first problem. */
export function parseQuery(text: string): QueryNode | null {
  const tokens = tokenize(text);
  if (tokens.length === 1) return null;
  return new Parser(tokens).query();
}

// ---- printing: the canonical text of a query (what a URL or the filter box can hold)

const BARE_KEY = /^[\p{L}\p{N}_/-]+$/u;

function key(segment: string): string {
  if (BARE_KEY.test(segment)) return segment;
  return segment.includes("`") ? JSON.stringify(segment) : `\`${segment}\``;
}

export function fieldName(field: Field): string {
  switch (field.kind) {
    case "param":
      return `params.${field.path.map(key).join(".")}`;
    case "metric":
      // The key's own dots print bare (metrics.a.b reads back as key "a.b") unless a part needs quotes.
      return `metrics.${field.key.split(".").every((s) => BARE_KEY.test(s)) ? field.key : key(field.key)}`;
    case "attr":
      return field.name;
  }
}

function literal(v: Literal): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** Prints a query with the fewest parentheses that keep its meaning. */
export function formatQuery(node: QueryNode | null): string {
  if (!node) return "";
  switch (node.kind) {
    case "compare":
      return `${fieldName(node.field)} ${node.op} ${literal(node.value)}`;
    case "not": {
      const inner = formatQuery(node.operand);
      return node.operand.kind === "and" || node.operand.kind === "or" ? `not (${inner})` : `not ${inner}`;
    }
    case "and": {
      const side = (n: QueryNode) => (n.kind === "or" ? `(${formatQuery(n)})` : formatQuery(n));
      // Left-nested chains print flat; a right-hand `and` keeps its parentheses so the tree reads back the same.
      const right = node.right.kind === "and" ? `(${formatQuery(node.right)})` : side(node.right);
      return `${side(node.left)} and ${right}`;
    }
    case "or": {
      const right = node.right.kind === "or" ? `(${formatQuery(node.right)})` : formatQuery(node.right);
      return `${formatQuery(node.left)} or ${right}`;
    }
  }
}
