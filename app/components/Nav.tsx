"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ComponentProps } from "react";
import { ConnectButton } from "@rainbow-me/rainbowkit";
import { LocalWalletPicker } from "./LocalWalletPicker";
import { useNames } from "../lib/names";

const links = [
  { href: "/", label: "Overview" },
  { href: "/stake", label: "Stake" },
  { href: "/governance", label: "Governance" },
  { href: "/governance/delegates", label: "Delegates" },
  { href: "/validators", label: "Validators" },
  { href: "/operator", label: "Operator" },
];

/**
 * A link of the header that loads its route's code once the visitor heads there (pointer over it, keyboard
 * focus, a touch), not as soon as it is on screen: the header is on every page, and prefetching on sight
 * made the first visit of any page download the code of every route in it (the stake form's validation
 * library on the proposal page, for one).
 */
function IntentLink({ href, ...props }: ComponentProps<typeof Link> & { href: string }) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  return <Link href={href} prefetch={false} onMouseEnter={prefetch} onFocus={prefetch} onTouchStart={prefetch} {...props} />;
}

export function Nav() {
  const path = usePathname();
  const names = useNames();
  // The link of the section the page is in: the longest href that the path starts with (/governance/1 is
  // under Governance, /governance/delegates under Delegates).
  const current = links.filter((l) => path === l.href || (l.href !== "/" && path.startsWith(`${l.href}/`))).sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3 px-4 py-3">
        <IntentLink href="/" className="mr-2 text-lg font-bold text-indigo-700" data-testid="brand">{names.staked}</IntentLink>
        <nav aria-label="Main" className="flex flex-wrap gap-1">
          {links.map((l) => {
            const active = l === current;
            return (
              <IntentLink key={l.href} href={l.href} aria-current={active ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 text-sm ${active ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-600 hover:bg-slate-100"}`}>
                {l.label}
              </IntentLink>
            );
          })}
        </nav>
        <div className="ml-auto flex flex-wrap items-center gap-3">
          <LocalWalletPicker />
          <ConnectButton showBalance={false} chainStatus="icon" accountStatus="address" />
        </div>
      </div>
    </header>
  );
}
