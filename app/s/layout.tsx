import type { Metadata } from "next";

// A shared link's pages are not for search engines, and its token must not leave in a Referer header.
export const metadata: Metadata = {
  robots: { index: false, follow: false },
  referrer: "no-referrer",
};

export default function SharedLayout({ children }: { children: React.ReactNode }) {
  return children;
}
