// A throwaway PostgreSQL server in a temp folder: Debian's `postgresql` binaries, initdb'd with trust auth, listening
// on 127.0.0.1 at a free port. The tests and benchmarks start one; run this file to try the tracker on PostgreSQL:
//   npx tsx scripts/temp-postgres.ts      (prints a DATABASE_URL; Ctrl-C stops the server and deletes its folder)
// initdb refuses to run as root, so as root the server runs as the `postgres` user that Debian's package creates.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface TempPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres: the server's own database; make one per test with createDatabase */
  url: string;
  /** A fresh, empty database on this server; resolves to its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

/** The folder holding initdb and pg_ctl: Debian puts them under /usr/lib/postgresql/<version>/bin. */
export function postgresBinaries(): string {
  const base = "/usr/lib/postgresql";
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb"))) : [];
  if (!versions.length) throw new Error("PostgreSQL is not installed: apt-get install postgresql (its initdb is looked for under /usr/lib/postgresql)");
  return path.join(base, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

/** Creates an empty database `name` on the server `serverUrl` reaches; resolves to the new database's URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startTempPostgres(): Promise<TempPostgres> {
  const bin = postgresBinaries();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-pg-"));
  const dataDir = path.join(root, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres:postgres", root]);
  // Runs a server command: as root, as the postgres user; otherwise as whoever runs this.
  const asPostgresUser = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const result = spawnSync(file, argv, { encoding: "utf8", cwd: root });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  asPostgresUser("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  // fsync off: a test server's data need not survive a power cut, and fsync is most of a commit's cost here.
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  asPostgresUser("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(root, "server.log"), "-w", "start"]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    url,
    createDatabase: (name) => createDatabase(url, name),
    stop() {
      if (stopped) return;
      stopped = true;
      asPostgresUser("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startTempPostgres();
  const url = await server.createDatabase("zoetrope");
  console.log(`PostgreSQL is running in a temp folder. Use it with:\n  DATABASE_URL=${url}\nCtrl-C stops it and deletes its data.`);
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
