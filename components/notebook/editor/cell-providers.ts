// Completions, hovers and signature help for code cells: each asks the TypeScript worker about the cell's context
// model (cell-context.ts) at the mapped position and turns the answer into Monaco's terms, as Monaco's own
// TypeScript adapters do for a plain file.
import type * as Monaco from "monaco-editor";
import type * as ts from "typescript";
import { contextOf, type CellContext } from "./cell-context";
import type { MonacoApi } from "./load-monaco";

type TextModel = Monaco.editor.ITextModel;

/** What resolveCompletionItem needs to ask for an entry's details later. */
interface CellCompletionItem extends Monaco.languages.CompletionItem {
  context: CellContext;
  offset: number;
  entry: ts.CompletionEntry;
}

const text = (parts: readonly ts.SymbolDisplayPart[] | undefined) => (parts ?? []).map((p) => p.text).join("");

function tagText(tag: ts.JSDocTagInfo): string {
  const parts = tag.text ?? [];
  if (tag.name === "param" && parts.length > 0) {
    const [name, ...rest] = parts;
    return `*@param* \`${name.text}\`${rest.length ? ` — ${text(rest)}` : ""}`;
  }
  return `*@${tag.name}*${parts.length ? ` — ${text(parts)}` : ""}`;
}

function documentation(docs: readonly ts.SymbolDisplayPart[] | undefined, tags: readonly ts.JSDocTagInfo[] | undefined): string {
  return [text(docs), ...(tags ?? []).map(tagText)].filter(Boolean).join("\n\n");
}

function completionKind(monaco: MonacoApi, kind: string): Monaco.languages.CompletionItemKind {
  const K = monaco.languages.CompletionItemKind;
  // ts.ScriptElementKind values
  const kinds: Record<string, Monaco.languages.CompletionItemKind> = {
    "primitive type": K.Keyword,
    keyword: K.Keyword,
    var: K.Variable,
    "local var": K.Variable,
    let: K.Variable,
    const: K.Constant,
    property: K.Field,
    getter: K.Field,
    setter: K.Field,
    function: K.Function,
    "local function": K.Function,
    method: K.Method,
    construct: K.Constructor,
    call: K.Function,
    index: K.Function,
    enum: K.Enum,
    "enum member": K.EnumMember,
    module: K.Module,
    class: K.Class,
    interface: K.Interface,
    type: K.Interface,
    "type parameter": K.TypeParameter,
    alias: K.Reference,
    parameter: K.Variable,
    warning: K.Text,
  };
  return kinds[kind] ?? K.Property;
}

/** The context of a cell model whose language has not changed under it. */
function cellContext(model: TextModel): CellContext | undefined {
  const context = contextOf(model);
  return context && !model.isDisposed() && !context.model.isDisposed() ? context : undefined;
}

function completionProvider(monaco: MonacoApi): Monaco.languages.CompletionItemProvider {
  return {
    triggerCharacters: ["."],
    async provideCompletionItems(model, position) {
      const context = cellContext(model);
      if (!context) return undefined;
      const offset = context.offsetAt(position);
      const info = (await context.ask((worker, file) => worker.getCompletionsAtPosition(file, offset))) as ts.CompletionInfo | undefined;
      if (!info || model.isDisposed()) return undefined;
      const word = model.getWordUntilPosition(position);
      const wordRange = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const suggestions = info.entries.map((entry): CellCompletionItem => {
        const span = entry.replacementSpan && context.rangeOf(entry.replacementSpan.start, entry.replacementSpan.length);
        return {
          label: entry.name,
          insertText: entry.insertText ?? entry.name,
          sortText: entry.sortText,
          filterText: entry.filterText,
          kind: completionKind(monaco, entry.kind),
          range: span ?? wordRange,
          tags: entry.kindModifiers?.includes("deprecated") ? [monaco.languages.CompletionItemTag.Deprecated] : [],
          context,
          offset,
          entry,
        };
      });
      return { suggestions };
    },
    async resolveCompletionItem(item) {
      const { context, offset, entry } = item as CellCompletionItem;
      const details = (await context.ask((worker, file) => worker.getCompletionEntryDetails(file, offset, entry.name))) as
        | ts.CompletionEntryDetails
        | undefined;
      if (!details) return item;
      return { ...item, detail: text(details.displayParts), documentation: { value: documentation(details.documentation, details.tags) } };
    },
  };
}

function hoverProvider(): Monaco.languages.HoverProvider {
  return {
    async provideHover(model, position) {
      const context = cellContext(model);
      if (!context) return undefined;
      const offset = context.offsetAt(position);
      const info = (await context.ask((worker, file) => worker.getQuickInfoAtPosition(file, offset))) as ts.QuickInfo | undefined;
      if (!info || model.isDisposed()) return undefined;
      const range = context.rangeOf(info.textSpan.start, info.textSpan.length);
      const docs = documentation(info.documentation, info.tags);
      return {
        range,
        contents: [{ value: "```typescript\n" + text(info.displayParts) + "\n```" }, ...(docs ? [{ value: docs }] : [])],
      };
    },
  };
}

function triggerReason(monaco: MonacoApi, context: Monaco.languages.SignatureHelpContext): ts.SignatureHelpTriggerReason {
  const { TriggerCharacter, ContentChange } = monaco.languages.SignatureHelpTriggerKind;
  const character = context.triggerCharacter as ts.SignatureHelpTriggerCharacter | undefined;
  if (context.triggerKind === TriggerCharacter && character) {
    return context.isRetrigger ? { kind: "retrigger", triggerCharacter: character } : { kind: "characterTyped", triggerCharacter: character };
  }
  if (context.triggerKind === ContentChange && context.isRetrigger) return { kind: "retrigger" };
  return { kind: "invoked" };
}

function signatureHelpProvider(monaco: MonacoApi): Monaco.languages.SignatureHelpProvider {
  return {
    signatureHelpTriggerCharacters: ["(", ","],
    signatureHelpRetriggerCharacters: [")"],
    async provideSignatureHelp(model, position, _token, helpContext) {
      const context = cellContext(model);
      if (!context) return undefined;
      const offset = context.offsetAt(position);
      const options: ts.SignatureHelpItemsOptions = { triggerReason: triggerReason(monaco, helpContext) };
      const info = (await context.ask((worker, file) => worker.getSignatureHelpItems(file, offset, options))) as
        | ts.SignatureHelpItems
        | undefined;
      if (!info || model.isDisposed()) return undefined;
      const signatures = info.items.map((item): Monaco.languages.SignatureInformation => {
        const parameters = item.parameters.map((p) => ({ label: text(p.displayParts), documentation: { value: text(p.documentation) } }));
        const label = text(item.prefixDisplayParts) + parameters.map((p) => p.label).join(text(item.separatorDisplayParts)) + text(item.suffixDisplayParts);
        return { label, parameters, documentation: { value: documentation(item.documentation, item.tags) } };
      });
      return { value: { signatures, activeSignature: info.selectedItemIndex, activeParameter: info.argumentIndex }, dispose() {} };
    },
  };
}

/** Registers the providers of the cell language (once: cell-language.ts calls this from its one-time setup). */
export function registerCellProviders(monaco: MonacoApi, language: string): void {
  monaco.languages.registerCompletionItemProvider(language, completionProvider(monaco));
  monaco.languages.registerHoverProvider(language, hoverProvider());
  monaco.languages.registerSignatureHelpProvider(language, signatureHelpProvider(monaco));
}
