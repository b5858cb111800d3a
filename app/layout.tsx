import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Zoetrope", template: "%s · Zoetrope" },
  description: "Notebook experiments for video GANs, tracked.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Zoetrope
          </Link>
          <nav>
            <Link href="/">Experiments</Link>
            <Link href="/runs">Runs</Link>
          </nav>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
