"use client";
// Re-renders the server page every few seconds while `active`: a sweep page follows its jobs without a reload.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function RefreshWhileActive({ active, everyMs = 3000 }: { active: boolean; everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, router]);
  return null;
}
