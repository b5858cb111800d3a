// What runs a Kernel behind a message channel, wherever that is: the browser's Web Worker (worker.ts) or a server
// kernel's Node process (server/kernel-process.ts). The first command is `init`, which starts the backend and the
// Kernel; commands that arrive meanwhile wait, in order; a kernel that cannot start says why and stays dead.
import type { Kernel } from "./kernel/kernel";
import type { KernelCommand, KernelEvent } from "./protocol";

type InitCommand = Extract<KernelCommand, { type: "init" }>;

type State =
  | { phase: "new" }
  | { phase: "starting"; queue: KernelCommand[] }
  | { phase: "ready"; kernel: Kernel }
  | { phase: "dead" };

export interface KernelHostOptions {
  emit(event: KernelEvent): void;
  /** Starts the backend and makes the Kernel (emitting `kernel-info` on the way). */
  start(command: InitCommand): Promise<Kernel>;
}

/** Returns the function every incoming command goes to. */
export function createKernelHost({ emit, start }: KernelHostOptions): (command: KernelCommand) => void {
  let state: State = { phase: "new" };
  const warn = (message: string) => emit({ op: "warning", message });

  const begin = (command: InitCommand, queue: KernelCommand[]) => {
    state = { phase: "starting", queue };
    start(command).then(
      (kernel) => {
        const queued = state.phase === "starting" ? state.queue : [];
        state = { phase: "ready", kernel };
        emit({ op: "status", status: "idle" });
        for (const c of queued) kernel.handle(c);
      },
      (e: unknown) => {
        state = { phase: "dead" };
        warn(`the kernel could not start: ${e instanceof Error ? e.message : String(e)}`);
        emit({ op: "status", status: "dead" });
      },
    );
  };

  return (command) => {
    switch (state.phase) {
      case "ready":
        state.kernel.handle(command);
        return;
      case "starting":
        state.queue.push(command); // handled once the backend is up, in the order sent
        return;
      case "dead":
        return;
      case "new":
        if (command.type === "init") return begin(command, []);
        warn(`the first message must be "init", got "${command.type}": starting with the default backend`);
        return begin({ type: "init" }, [command]);
    }
  };
}
