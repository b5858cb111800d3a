// How a server kernel shares the CPU: what the user set, else a core and the first turn left to a page on the same
// machine.
import { describe, expect, it } from "vitest";
import { kernelNiceness, kernelThreads } from "@/lib/runner/server/kernels";

describe("kernelThreads", () => {
  it("leaves a core to the page on loopback, takes every core elsewhere, and follows what the user set", () => {
    expect(kernelThreads({}, 8)).toBe(7);
    expect(kernelThreads({ HOST: "::1" }, 2)).toBe(1);
    expect(kernelThreads({ HOST: "127.0.0.1" }, 1)).toBe(1);
    expect(kernelThreads({ HOST: "0.0.0.0" }, 8)).toBe(8);
    expect(kernelThreads({ OMP_NUM_THREADS: "3" }, 8)).toBe(3);
    expect(kernelThreads({ ZOETROPE_KERNEL_THREADS: "2", OMP_NUM_THREADS: "3" }, 8)).toBe(2);
    expect(kernelThreads({ ZOETROPE_KERNEL_THREADS: "lots" }, 8)).toBe(7);
  });
});

describe("kernelNiceness", () => {
  it("lets a page on the same machine go first, unless told otherwise", () => {
    expect(kernelNiceness({})).toBe(10);
    expect(kernelNiceness({ HOST: "0.0.0.0" })).toBe(0);
    expect(kernelNiceness({ ZOETROPE_KERNEL_NICE: "0" })).toBe(0);
    expect(kernelNiceness({ HOST: "0.0.0.0", ZOETROPE_KERNEL_NICE: "5" })).toBe(5);
    expect(kernelNiceness({ ZOETROPE_KERNEL_NICE: "40" })).toBe(10);
  });
});
