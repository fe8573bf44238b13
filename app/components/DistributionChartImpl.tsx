"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type DistributionPoint = { name: string; current: number; target: number };

/** Current vs target share of the pool's stake by validator, in percent. */
export default function DistributionChartImpl({ data }: { data: DistributionPoint[] }) {
  return (
    <div className="h-64 w-full" data-testid="distribution-chart" role="img" aria-label="Current versus target distribution by validator">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} angle={-20} textAnchor="end" height={50} />
          <YAxis unit=" %" tick={{ fontSize: 11 }} width={48} />
          <Tooltip formatter={(v) => `${Number(v).toFixed(2)} %`} />
          <Legend />
          <Bar dataKey="current" name="Current" fill="#6366f1" />
          <Bar dataKey="target" name="Target" fill="#cbd5e1" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
