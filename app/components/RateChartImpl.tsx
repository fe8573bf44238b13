"use client";

import { Line, LineChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** FTM per stFTM share over time. */
export default function RateChartImpl({ points }: { points: { time: number; rate: number }[] }) {
  const data = points.map((p) => ({ ...p, label: new Date(p.time * 1000).toLocaleDateString("en-GB") }));
  return (
    <div className="h-48 w-full" data-testid="rate-chart" role="img" aria-label="Exchange rate over time">
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis domain={["auto", "auto"]} tick={{ fontSize: 11 }} width={64} tickFormatter={(v) => Number(v).toFixed(4)} />
          <Tooltip formatter={(v) => Number(v).toFixed(6)} />
          <Line type="monotone" dataKey="rate" stroke="#6366f1" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
