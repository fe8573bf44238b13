import { linePoints, type TimePoint } from "./chartLine";

/**
 * A table-cell line without axes: a balance held between its points, from 0 at the bottom. Its title and
 * data attributes carry the number of points and the last value.
 */
export function Sparkline({ points, label, testId }: { points: TimePoint[]; label: string; testId?: string }) {
  const [w, h] = [120, 28];
  const top = Math.max(...points.map((p) => p.value)) || 1;
  const { line } = linePoints(points, { left: 1, top: 2, width: w - 2, height: h - 4 }, 0, top, true);
  const last = points[points.length - 1];
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={label} data-testid={testId} data-points={points.length} data-last={last.value}>
      <title>{label}</title>
      <polyline fill="none" stroke="#6366f1" strokeWidth="1.5" points={line} />
    </svg>
  );
}
