import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";
import { Nav } from "./components/Nav";
import { StatusBanners } from "./components/StatusBanners";

export const metadata: Metadata = {
  title: "stFTM: liquid staking governed by its holders",
  description: "Stake FTM, receive stFTM, vote on the validator set.",
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
