import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { safeNext } from "@/lib/auth/gate";
import { SESSION_COOKIE, loginRequired, verifySession } from "@/lib/auth/session";
import { LoginForm } from "./LoginForm";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Log in", robots: { index: false } };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

/** The password form of login mode (ZOETROPE_PASSWORD set); without a password there is nothing to log in to. */
export default async function LoginPage({ searchParams }: Props) {
  const raw = (await searchParams).next;
  const next = safeNext(Array.isArray(raw) ? raw[0] : raw);
  // Nothing to log in to without a password; nothing to do with a valid session.
  if (!loginRequired() || verifySession((await cookies()).get(SESSION_COOKIE)?.value)) redirect(next);
  return <LoginForm next={next} />;
}
