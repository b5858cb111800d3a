-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "experimentId" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "notebook" TEXT NOT NULL,
    "grid" TEXT NOT NULL,
    "combos" TEXT NOT NULL,
    "args" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Sweep_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Sweep_experimentId_createdAt_idx" ON "Sweep"("experimentId", "createdAt");

-- AlterTable
-- Plain ADD COLUMNs instead of Prisma's table redefinition: no copy of the table, and no DROP of a table that metric
-- chunks, samples and checkpoints reference with ON DELETE CASCADE. SQLite takes a REFERENCES column this way when
-- its default is NULL.
ALTER TABLE "Run" ADD COLUMN "sweepId" TEXT REFERENCES "Sweep" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Run" ADD COLUMN "sweepJob" INTEGER;
ALTER TABLE "Run" ADD COLUMN "attempt" INTEGER;

-- CreateIndex
CREATE INDEX "Run_sweepId_sweepJob_idx" ON "Run"("sweepId", "sweepJob");
