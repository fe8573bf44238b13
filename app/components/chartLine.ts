// The line of a value over time, shared by the charts (charts.tsx) and the table-cell sparkline
// (Sparkline.tsx), which live apart so that a page drawing one does not load the other's code.

export type TimePoint = { time: number; value: number };

/** The polyline through `points` in a plot box; `step` holds each value until the next point (a balance). */
export function linePoints(points: TimePoint[], box: { left: number; top: number; width: number; height: number }, yMin: number, yMax: number, step: boolean) {
  const [t0, t1] = [points[0].time, points[points.length - 1].time];
  const x = (t: number) => box.left + (t1 === t0 ? box.width : ((t - t0) / (t1 - t0)) * box.width);
  const y = (v: number) => box.top + box.height - ((v - yMin) / (yMax - yMin || 1)) * box.height;
  const xy = points.flatMap((p, i) => {
    const here = `${x(p.time)},${y(p.value)}`;
    return step && i > 0 ? [`${x(p.time)},${y(points[i - 1].value)}`, here] : [here];
  });
  return { line: xy.join(" "), y };
}
