"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";

/**
 * The app's header, left out of shared pages: a shared link shows what it names and no way into the rest of the
 * app (whose links would only lead to the login form, or to pages the link does not grant).
 */
export function SiteHeader({ loginMode }: { loginMode: boolean }) {
  const pathname = usePathname();
  if (pathname.startsWith("/s/")) return null;
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Zoetrope
      </Link>
      <nav>
        <Link href="/">Experiments</Link>
        <Link href="/runs">Runs</Link>
        <Link href="/shares">Share links</Link>
        <Link href="/kernels">Kernels</Link>
      </nav>
      {loginMode && pathname !== "/login" ? <LogoutButton /> : null}
    </header>
  );
}

function LogoutButton() {
  const [busy, setBusy] = useState(false);
  async function logout() {
    setBusy(true);
    await fetch("/api/auth/logout", { method: "POST" }).catch(() => null);
    window.location.assign("/login");
  }
  return (
    <button type="button" onClick={logout} disabled={busy} style={{ marginLeft: "auto" }}>
      Log out
    </button>
  );
}
