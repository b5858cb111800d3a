// The work queue: pg-boss inside the tracker's own PostgreSQL database (schema `pgboss`), so a team runs one
// database server and nothing else. SKIP LOCKED hands each job to one worker; a worker's heartbeat keeps its claim;
// a job whose worker stops beating is retried by another, with backoff; one out of retries lands in a dead-letter
// queue beside its own. Node only.
import { PgBoss } from "pg-boss";
import { isPostgresUrl } from "../tracker/paths";
import { describeConnectError, redactUrl } from "../tracker/postgres-errors";

/**
 * How a new sweep queue treats its jobs. ZOETROPE_QUEUE_HEARTBEAT_SECONDS (at least 10, pg-boss's floor; default 30):
 * how long a worker may go silent before its job is retried elsewhere. Shorter finds a lost worker sooner; longer
 * forgives a worker whose database connection stalls.
 */
export function sweepQueueOptions(env: Record<string, string | undefined> = process.env) {
  const asked = Number(env.ZOETROPE_QUEUE_HEARTBEAT_SECONDS);
  return {
    /** A worker touches its jobs every heartbeatSeconds / 2. */
    heartbeatSeconds: Number.isInteger(asked) && asked >= 10 ? asked : 30,
    /** Attempts after the first, 5 s apart and doubling, before the job is failed for good. */
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    /** pg-boss's ceiling: a job still running after a day is failed. */
    expireInSeconds: 24 * 60 * 60,
    /** Settled jobs are kept this long for the sweep page. */
    deleteAfterSeconds: 30 * 24 * 60 * 60,
  };
}

export const deadLetterQueue = (queue: string) => `${queue}.dead`;

/** Queue names pg-boss takes and that read well in a URL: letters, digits, - and _. */
export function assertQueueName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(name)) {
    throw new Error(`--queue must be letters, digits, - and _ (at most 100, starting with a letter or digit), got "${name}"`);
  }
}

export interface BossOptions {
  /** Run pg-boss's supervisor here: the part that fails and retries jobs whose worker went silent. */
  supervise?: boolean;
}

/** A started pg-boss on `url`'s database; a one-line error naming the fix when it cannot start. */
export async function openBoss(url: string, opts: BossOptions = {}): Promise<PgBoss> {
  if (!isPostgresUrl(url)) {
    throw new Error(`queued sweeps and workers need the tracker on PostgreSQL: set DATABASE_URL=postgres://… (now ${redactUrl(url)})`);
  }
  // Supervision passes every 5 s (pg-boss's default is a minute): a lost worker's job waits its heartbeat timeout
  // and at most one pass before it is retried. Each pass is a few indexed queries.
  const supervise = { supervise: opts.supervise ?? false, superviseIntervalSeconds: 5, monitorIntervalSeconds: 5 };
  const boss = new PgBoss({ connectionString: url, ...supervise, max: 4 });
  boss.on("error", (e) => console.error(`queue: ${e instanceof Error ? e.message : String(e)}`));
  try {
    await boss.start();
  } catch (e) {
    throw new Error(describeConnectError(e, url));
  }
  return boss;
}

/** Creates the queue and its dead-letter queue if they do not exist yet. */
export async function ensureSweepQueue(boss: PgBoss, name: string): Promise<void> {
  assertQueueName(name);
  if (!(await boss.getQueue(deadLetterQueue(name)))) await boss.createQueue(deadLetterQueue(name));
  if (!(await boss.getQueue(name))) await boss.createQueue(name, { ...sweepQueueOptions(), deadLetter: deadLetterQueue(name) });
}

/** Throws a one-line error when the queue does not exist, listing those that do. */
export async function assertQueueExists(boss: PgBoss, name: string): Promise<void> {
  if (await boss.getQueue(name)) return;
  const names = (await boss.getQueues()).map((q) => q.name).filter((n) => !n.endsWith(".dead"));
  const known = names.length ? `queues here: ${names.join(", ")}` : "no queues yet";
  throw new Error(`no queue named "${name}" (${known}); \`zoetrope sweep … --queue ${name}\` creates it`);
}
