"use client";

import dynamic from "next/dynamic";

// Charts load on the client only and in their own chunk, so pages stay light until a chart is shown.
export const DistributionChart = dynamic(() => import("./DistributionChartImpl"), {
  ssr: false,
  loading: () => <div className="h-64 animate-pulse rounded-lg bg-slate-100" aria-label="Loading chart" />,
});

export const RateChart = dynamic(() => import("./RateChartImpl"), {
  ssr: false,
  loading: () => <div className="h-48 animate-pulse rounded-lg bg-slate-100" aria-label="Loading chart" />,
});
