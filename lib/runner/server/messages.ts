// What a server kernel's process sends its manager over IPC: the kernel's events, and its memory for the list.
import type { KernelEvent } from "../protocol";

export type FromKernelProcess = { kind: "event"; event: KernelEvent } | { kind: "memory"; rss: number };
