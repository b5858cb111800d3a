// PostgreSQL connection failures as one line that names what to fix, with the URL's password left out.

/** The URL as it may be printed: no password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}

export function describeConnectError(e: unknown, url: string): string {
  const err = e as { code?: string; message?: string };
  const where = redactUrl(url);
  switch (err.code) {
    case "ECONNREFUSED":
      return `cannot reach PostgreSQL at ${where}: connection refused. Is the server running, and is DATABASE_URL's host and port right?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot reach PostgreSQL at ${where}: unknown host. Check DATABASE_URL's host name.`;
    case "3D000":
      return `PostgreSQL at ${where}: ${err.message}. Create it (createdb) or fix DATABASE_URL's database name.`;
    case "28P01":
    case "28000":
      return `PostgreSQL at ${where} refused the login: ${err.message}. Check DATABASE_URL's user and password.`;
    default:
      return `PostgreSQL at ${where}: ${err.message ?? String(e)}`;
  }
}
