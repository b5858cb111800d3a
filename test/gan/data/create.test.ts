import { beforeAll, describe, expect, it } from "vitest";
import { BouncingShapes } from "@/lib/gan/data/bouncing-shapes";
import { createDataset } from "@/lib/gan/data/create";
import { MovingMnist } from "@/lib/gan/data/moving-mnist";
import type { DatasetKind } from "@/lib/gan/data/types";
import { blockDigits, useCpu } from "./fixtures";

beforeAll(useCpu);

describe("createDataset", () => {
  it("builds each kind with its options and seed", async () => {
    const mnist = await createDataset("moving-mnist", { digitSet: blockDigits(), size: 32, frames: 8 }, 3);
    expect(mnist).toBeInstanceOf(MovingMnist);
    expect(mnist.shape).toEqual({ frames: 8, height: 32, width: 32, channels: 1 });
    const shapes = await createDataset("bouncing-shapes", { frames: 5 }, 3);
    expect(shapes).toBeInstanceOf(BouncingShapes);
    expect(shapes.shape).toEqual({ frames: 5, height: 64, width: 64, channels: 3 });
  });

  it("rejects an unknown kind", async () => {
    await expect(createDataset("ucf101" as DatasetKind)).rejects.toThrow(/unknown dataset kind/);
  });
});
