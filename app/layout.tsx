import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";
import { Nav } from "./components/Nav";
import { StatusBanners } from "./components/StatusBanners";

export const metadata: Metadata = {
  // The page itself names the connected chain's currency and tokens; the static title names none of them.
  title: "Liquid staking governed by its holders",
  description: "Stake the chain's native currency, receive a liquid staking token, vote on the validator set.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <Nav />
          <StatusBanners />
          <main className="mx-auto max-w-6xl space-y-4 px-4 py-4">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
