-- AlterTable
-- A plain ADD COLUMN instead of Prisma's table redefinition: no copy of the table, and no DROP of a table that runs
-- reference with ON DELETE CASCADE. SQLite accepts NOT NULL here because the column has a constant default.
ALTER TABLE "Experiment" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;
