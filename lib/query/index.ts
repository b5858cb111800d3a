// The run filter language: `params.model = "mocogan" and metrics.loss_d < 0.7 and status = "finished"`.
export { QueryError, tokenize, type Token } from "./tokens";
export { ATTRIBUTES, MAX_QUERY_DEPTH, STATUSES, fieldName, formatQuery, parseQuery } from "./parse";
export type { Attribute, Field, Literal, Op, QueryNode, Span } from "./parse";
export { compare, compileQuery, evaluate, fieldValue, type QueryableRun } from "./compile";
