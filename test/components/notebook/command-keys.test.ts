import { describe, expect, it } from "vitest";
import { anyModeCommand, CHORD_MS, commandModeKey, type KeyPress } from "@/components/notebook/command-keys";

const key = (k: string, mods: Partial<KeyPress> = {}, timeStamp = 0): KeyPress => ({
  key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, timeStamp, ...mods,
});

describe("command keys", () => {
  it("maps the run keys in any mode", () => {
    expect(anyModeCommand(key("Enter", { shiftKey: true }))).toBe("run-next");
    expect(anyModeCommand(key("Enter", { ctrlKey: true }))).toBe("run");
    expect(anyModeCommand(key("Enter", { metaKey: true }))).toBe("run");
    expect(anyModeCommand(key("Enter", { altKey: true }))).toBe("run-insert");
    expect(anyModeCommand(key("s", { ctrlKey: true }))).toBe("save");
    expect(anyModeCommand(key("S", { metaKey: true }))).toBe("save");
    expect(anyModeCommand(key("Enter"))).toBeUndefined();
    expect(anyModeCommand(key("a"))).toBeUndefined();
  });

  it("maps single keys in command mode", () => {
    const cases: [string, string][] = [
      ["a", "insert-above"], ["b", "insert-below"], ["z", "undo-delete"], ["m", "to-markdown"], ["y", "to-code"],
      ["k", "select-up"], ["j", "select-down"], ["ArrowUp", "select-up"], ["ArrowDown", "select-down"],
      ["Enter", "edit"], ["Escape", "command-mode"],
    ];
    for (const [k, command] of cases) expect(commandModeKey(key(k), undefined).command).toBe(command);
    expect(commandModeKey(key("ArrowUp", { ctrlKey: true, shiftKey: true }), undefined).command).toBe("move-up");
    expect(commandModeKey(key("x"), undefined).command).toBeUndefined();
    expect(commandModeKey(key("a", { ctrlKey: true }), undefined).command).toBeUndefined(); // select all stays the browser's
  });

  it("needs D D, I I and 0 0 pressed twice in quick succession", () => {
    for (const [k, command] of [["d", "delete"], ["i", "interrupt"], ["0", "restart"]] as const) {
      const first = commandModeKey(key(k, {}, 1000), undefined);
      expect(first.command).toBeUndefined();
      expect(commandModeKey(key(k, {}, 1000 + CHORD_MS - 1), first.chord).command).toBe(command);
      expect(commandModeKey(key(k, {}, 1000 + CHORD_MS + 1), first.chord).command).toBeUndefined();
    }
    const d = commandModeKey(key("d", {}, 0), undefined);
    expect(commandModeKey(key("i", {}, 10), d.chord).command).toBeUndefined(); // D then I is nothing
  });
});
