import { describe, expect, it } from "vitest";
import { FailureLimiter } from "@/lib/auth/rate-limit";

describe("FailureLimiter", () => {
  it("allows `limit` failures in the window, then says how long to wait until the oldest ages out", () => {
    const limiter = new FailureLimiter(3, 60_000);
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.check("a", t + i * 1000)).toBeNull();
      limiter.fail("a", t + i * 1000);
    }
    expect(limiter.check("a", t + 10_000)).toEqual({ retryAfterS: 50 });
    expect(limiter.check("b", t + 10_000)).toBeNull();
    // The first failure leaves the window at t + 60 s: one more attempt is allowed.
    expect(limiter.check("a", t + 60_001)).toBeNull();
  });

  it("forgets a key on clear, and drops the stalest keys past its size cap", () => {
    const limiter = new FailureLimiter(1, 60_000, 2);
    limiter.fail("a", 0);
    limiter.clear("a");
    expect(limiter.check("a", 1)).toBeNull();
    limiter.fail("x", 0);
    limiter.fail("y", 1);
    limiter.fail("z", 2);
    expect(limiter.check("x", 3)).toBeNull(); // dropped
    expect(limiter.check("z", 3)).not.toBeNull();
  });
});
