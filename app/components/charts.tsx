"use client";

import { linePoints, type TimePoint } from "./chartLine";

// Small SVG charts drawn by hand: a chart library would triple the JavaScript of the pages that
// show them (measured: recharts added about 135 KB gzip to / and /operator). Each chart scales with
// its container through its viewBox and carries its figures as text for screen readers and tests.

const W = 640;
const PAD = { left: 44, right: 8, top: 10, bottom: 56 };
const axis = "#94a3b8";
const grid = "#e2e8f0";

/** Round steps for an axis from 0 (or `min`) to `max`: the last one at or above `max`, so the data stays inside. */
function ticks(min: number, max: number, count = 4): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const first = Math.floor(min / step) * step;
  const out: number[] = [];
  for (let v = first; out.length === 0 || out[out.length - 1] < max; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export type DistributionPoint = { name: string; current: number; target: number };

/** Current vs target share of the pool's stake by validator, in percent. */
export function DistributionChart({ data }: { data: DistributionPoint[] }) {
  const H = 260;
  const top = Math.max(1, ...data.flatMap((d) => [d.current, d.target]));
  const ys = ticks(0, top);
  const yMax = ys[ys.length - 1];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / data.length;
  const bar = Math.min(22, slot / 2.6);
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  return (
    <figure data-testid="distribution-chart" className="w-full">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label="Current versus target distribution by validator">
        {ys.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke={grid} strokeDasharray="3 3" />
            <text x={PAD.left - 6} y={y(v) + 4} fontSize="11" textAnchor="end" fill="#475569">{v} %</text>
          </g>
        ))}
        {data.map((d, i) => {
          const x = PAD.left + slot * i + slot / 2;
          return (
            <g key={d.name} data-testid="distribution-bar" data-name={d.name} data-current={d.current.toFixed(2)} data-target={d.target.toFixed(2)}>
              <rect x={x - bar} y={y(d.current)} width={bar} height={Math.max(0, y(0) - y(d.current))} fill="#6366f1"><title>{`${d.name}: current ${d.current.toFixed(2)} %`}</title></rect>
              <rect x={x} y={y(d.target)} width={bar} height={Math.max(0, y(0) - y(d.target))} fill="#cbd5e1"><title>{`${d.name}: target ${d.target.toFixed(2)} %`}</title></rect>
              <text x={x} y={H - PAD.bottom + 14} fontSize="11" textAnchor="end" fill="#475569" transform={`rotate(-25 ${x} ${H - PAD.bottom + 14})`}>{d.name}</text>
            </g>
          );
        })}
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} stroke={axis} />
      </svg>
      <figcaption className="mt-1 flex justify-center gap-4 text-xs text-slate-600">
        <span className="flex items-center gap-1"><span className="inline-block h-3 w-3 bg-indigo-500" aria-hidden /> Current</span>
        <span className="flex items-center gap-1"><span className="inline-block h-3 w-3 bg-slate-300" aria-hidden /> Target</span>
      </figcaption>
    </figure>
  );
}

const day = (t: number) => new Date(t * 1000).toLocaleDateString("en-GB");

/**
 * A value over time with its axis: the exchange rate, a validator's stake. The first and last points are
 * in its accessible name, so screen readers (and tests) read the figures the line shows.
 */
export function TimeChart({ points, label, formatValue, formatExact = formatValue, testId, step = false }: {
  points: TimePoint[];
  label: string;
  /** For the axis; `formatExact` for the figures in the name (more digits where values move slowly). */
  formatValue: (v: number) => string;
  formatExact?: (v: number) => string;
  testId: string;
  step?: boolean;
}) {
  const H = 200;
  const pad = { ...PAD, left: 60, bottom: 28 };
  const values = points.map((p) => p.value);
  const ys = ticks(Math.min(...values), Math.max(...values));
  const [yMin, yMax] = [ys[0], ys[ys.length - 1]];
  const box = { left: pad.left, top: pad.top, width: W - pad.left - pad.right, height: H - pad.top - pad.bottom };
  const { line, y } = linePoints(points, box, yMin, yMax, step);
  const [first, last] = [points[0], points[points.length - 1]];
  return (
    <figure data-testid={testId} className="w-full">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`${label}: ${formatExact(first.value)} on ${day(first.time)}, ${formatExact(last.value)} on ${day(last.time)}`}>
        {ys.map((v) => (
          <g key={v}>
            <line x1={pad.left} x2={W - pad.right} y1={y(v)} y2={y(v)} stroke={grid} strokeDasharray="3 3" />
            <text x={pad.left - 6} y={y(v) + 4} fontSize="11" textAnchor="end" fill="#475569">{formatValue(v)}</text>
          </g>
        ))}
        <polyline fill="none" stroke="#6366f1" strokeWidth="2" points={line} />
        <text x={pad.left} y={H - 8} fontSize="11" fill="#475569">{day(first.time)}</text>
        <text x={W - pad.right} y={H - 8} fontSize="11" textAnchor="end" fill="#475569">{day(last.time)}</text>
      </svg>
    </figure>
  );
}

/** Native currency per staked-token share over time. */
export function RateChart({ points }: { points: { time: number; rate: number }[] }) {
  return <TimeChart points={points.map((p) => ({ time: p.time, value: p.rate }))} label="Exchange rate over time" formatValue={(v) => v.toFixed(4)} formatExact={(v) => v.toFixed(6)} testId="rate-chart" />;
}
