// The app server's one pg-boss, made on first use (a sweep page or its API) and kept on globalThis like the Prisma
// client. It supervises too: with the app up, a dead worker's job is retried even when no other worker is running.
import type { PgBoss } from "pg-boss";
import { databaseUrl } from "../tracker/paths";
import { openBoss } from "./boss";

const holder = globalThis as unknown as { zoetropeBoss?: { url: string; boss: Promise<PgBoss> } };

export function appBoss(): Promise<PgBoss> {
  const url = databaseUrl();
  if (holder.zoetropeBoss?.url !== url) {
    const boss = openBoss(url, { supervise: true });
    // A failed start is not kept: the next request tries again (the database may be back).
    boss.catch(() => {
      if (holder.zoetropeBoss?.boss === boss) holder.zoetropeBoss = undefined;
    });
    holder.zoetropeBoss = { url, boss };
  }
  return holder.zoetropeBoss.boss;
}
