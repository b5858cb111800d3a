// Which of the TypeScript worker's diagnostics for a cell's context file (the cells above, then the cell) belong to
// the cell, as plain data: no Monaco here.
import type * as Monaco from "monaco-editor";

export type TsDiagnostic = Monaco.typescript.Diagnostic;
type MessageChain = TsDiagnostic["messageText"];

/**
 * Errors a later cell gets for declaring a name an earlier cell declared. The kernel allows that (a cell redefines
 * a name, as rerunning a cell does), so they are dropped when the clashing declaration lies in an earlier cell.
 */
const REDECLARATION_CODES = new Set([
  2300, // Duplicate identifier 'x'.
  2393, // Duplicate function implementation.
  2451, // Cannot redeclare block-scoped variable 'x'.
]);

/** A diagnostic's message with its chain of details, one indented line per level. */
export function flattenMessage(message: MessageChain | undefined, indent = 0): string {
  if (message === undefined) return "";
  if (typeof message === "string") return message;
  const own = `${indent > 0 ? "\n" + "  ".repeat(indent) : ""}${message.messageText}`;
  return own + (message.next ?? []).map((next) => flattenMessage(next, indent + 1)).join("");
}

/**
 * The diagnostics that start inside the cell (at or after `cellStart` in the context file of `length` characters),
 * less redeclarations of earlier cells' names. Diagnostics in the cells above are theirs to show, and so are the
 * parser's complaints at the end of the file that come from them: a '}' expected for a brace opened above, or any
 * when the cells above already fail to parse.
 */
export function cellDiagnostics(
  syntactic: readonly TsDiagnostic[],
  semantic: readonly TsDiagnostic[],
  cellStart: number,
  length: number,
): TsDiagnostic[] {
  const all = [...syntactic, ...semantic];
  const brokenAbove = syntactic.some((d) => (d.start ?? 0) < cellStart);
  const earlier = new Set(
    all
      .filter((d) => REDECLARATION_CODES.has(d.code) && (d.start ?? 0) < cellStart)
      .map((d) => `${d.code}:${flattenMessage(d.messageText)}`),
  );
  return all.filter((d) => {
    if (d.start === undefined || d.start < cellStart) return false;
    const openedAbove = d.relatedInformation?.some((r) => r.start !== undefined && r.start < cellStart) ?? false;
    if (d.start >= length && (brokenAbove || openedAbove)) return false;
    return !(REDECLARATION_CODES.has(d.code) && earlier.has(`${d.code}:${flattenMessage(d.messageText)}`));
  });
}
