import type { Metadata } from "next";
import { SiteHeader } from "@/components/share/SiteHeader";
import { loginRequired } from "@/lib/auth/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Zoetrope", template: "%s · Zoetrope" },
  description: "Notebook experiments for video GANs, tracked.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <SiteHeader loginMode={loginRequired()} />
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
