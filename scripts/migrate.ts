// `npm run db:migrate` (and `npm start`): applies the checked-in migrations to DATABASE_URL's database, SQLite or
// PostgreSQL, default data/zoetrope.db.
import { migrateDatabase } from "../lib/tracker/migrate";
import { databaseUrl } from "../lib/tracker/paths";

try {
  await migrateDatabase(databaseUrl());
} catch (e) {
  console.error(`zoetrope: ${(e as Error).message}`);
  process.exit(1);
}
