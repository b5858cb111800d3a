// `--url` against a server in login mode: the CLI logs in with ZOETROPE_PASSWORD first and sends the session cookie
// with every request. Its requests carry no Origin, so the server's cross-origin checks do not apply to them.

/** A fetch that carries the session cookie of a fresh login; the plain fetch when the server has no password. */
export async function loginFetch(baseUrl: string, password: string, fetchFn: typeof fetch = fetch): Promise<typeof fetch> {
  const base = baseUrl.replace(/\/$/, "");
  const res = await fetchFn(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ password }),
  });
  if (res.status === 404) return fetchFn; // login mode is off there (or an older server): nothing to carry
  if (res.status !== 204) {
    const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    throw new Error(`logging in to ${base} failed: ${res.status} ${body.error?.message ?? res.statusText}`);
  }
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`logging in to ${base} gave no session cookie`);
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("cookie", cookie);
    return fetchFn(input, { ...init, headers });
  };
}
