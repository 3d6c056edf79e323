// The SVG chart of calls per second over time, accepted against rejected, one panel per client, with the
// firewall window's rate drawn across each panel. Hand-written SVG: no dependency, readable diffs.

/** One API call as the server saw it: when (ms since the phase began) and whether the firewall let it in. */
export interface CallMark {
  atMs: number;
  rejected: boolean;
}

/** Calls accepted and rejected in one time bucket. */
export interface CallBucket {
  accepted: number;
  rejected: number;
}

/** One panel of the chart: a client's calls over time. */
export interface ChartPanel {
  title: string;
  buckets: CallBucket[];
}

/** What {@link renderCallsChart} draws. */
export interface CallsChart {
  title: string;
  panels: ChartPanel[];
  /** The firewall window's long-run rate, in calls per second, drawn as a line on every panel. */
  windowRatePerSecond: number;
}

const width = 820;
const panelHeight = 230;
const margin = { left: 64, right: 24, top: 58, bottom: 44 };
const acceptedColour = "#2e7d32";
const rejectedColour = "#c62828";
const windowColour = "#1565c0";

/** Counts calls into buckets of `bucketMs` (one second by default), from time 0 to the last call. */
export function bucketCalls(calls: readonly CallMark[], bucketMs = 1000): CallBucket[] {
  const buckets: CallBucket[] = [];
  for (const call of calls) {
    const index = Math.max(0, Math.floor(call.atMs / bucketMs));
    while (buckets.length <= index) buckets.push({ accepted: 0, rejected: 0 });
    if (call.rejected) buckets[index].rejected += 1;
    else buckets[index].accepted += 1;
  }
  return buckets;
}

/** The smallest "round" number (1, 2 or 5 times a power of ten) at or above `value`; 1 for 0 or less. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

/**
 * Maps a value in [0, domainMax] to a pixel offset in [0, rangePx], linearly; values beyond the domain
 * are clamped to its ends.
 */
export function scaleLinear(value: number, domainMax: number, rangePx: number): number {
  if (domainMax <= 0) return 0;
  return (Math.min(Math.max(value, 0), domainMax) / domainMax) * rangePx;
}

/**
 * Renders the chart as an SVG document. Every panel shares the time axis (seconds since its phase
 * began), so a burst and a steady stream can be compared by eye; each panel has its own calls-per-second
 * axis, scaled to the taller of its busiest second and the window's rate.
 */
export function renderCallsChart(chart: CallsChart): string {
  const seconds = Math.max(1, ...chart.panels.map((panel) => panel.buckets.length));
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = panelHeight - margin.bottom - 30;
  const height = margin.top + chart.panels.length * panelHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    legend(margin.left, 42, chart.windowRatePerSecond),
  ];
  chart.panels.forEach((panel, index) => {
    const top = margin.top + index * panelHeight + 24;
    parts.push(renderPanel(panel, top, plotWidth, plotHeight, seconds, chart.windowRatePerSecond));
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function renderPanel(
  panel: ChartPanel,
  top: number,
  plotWidth: number,
  plotHeight: number,
  seconds: number,
  windowRate: number,
): string {
  const busiest = Math.max(0, ...panel.buckets.map((bucket) => bucket.accepted + bucket.rejected));
  const yMax = niceCeiling(Math.max(busiest, windowRate) * 1.1);
  const left = margin.left;
  const bottom = top + plotHeight;
  const barWidth = plotWidth / seconds;
  const parts: string[] = [
    `<text x="${left}" y="${top - 8}" font-weight="bold">${escapeXml(panel.title)}</text>`,
  ];
  for (const tick of [0, yMax / 2, yMax]) {
    const y = round(bottom - scaleLinear(tick, yMax, plotHeight));
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${left + plotWidth}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  panel.buckets.forEach((bucket, second) => {
    const x = round(left + second * barWidth);
    const barPx = round(Math.max(1, barWidth - 1));
    const acceptedPx = scaleLinear(bucket.accepted, yMax, plotHeight);
    const rejectedPx = scaleLinear(bucket.rejected, yMax, plotHeight);
    if (bucket.accepted > 0) {
      parts.push(
        `<rect x="${x}" y="${round(bottom - acceptedPx)}" width="${barPx}" height="${round(acceptedPx)}" fill="${acceptedColour}"/>`,
      );
    }
    if (bucket.rejected > 0) {
      parts.push(
        `<rect x="${x}" y="${round(bottom - acceptedPx - rejectedPx)}" width="${barPx}" height="${round(rejectedPx)}" fill="${rejectedColour}"/>`,
      );
    }
  });
  const windowY = round(bottom - scaleLinear(windowRate, yMax, plotHeight));
  parts.push(
    `<line x1="${left}" y1="${windowY}" x2="${left + plotWidth}" y2="${windowY}" stroke="${windowColour}" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<line x1="${left}" y1="${bottom}" x2="${left + plotWidth}" y2="${bottom}" stroke="#424242"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#424242"/>`,
  );
  const step = Math.max(1, niceCeiling(seconds / 10));
  for (let second = 0; second <= seconds; second += step) {
    const x = round(left + scaleLinear(second, seconds, plotWidth));
    parts.push(
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 4}" stroke="#424242"/>`,
      `<text x="${x}" y="${bottom + 17}" text-anchor="middle">${second}</text>`,
    );
  }
  parts.push(
    `<text x="${left + plotWidth}" y="${bottom + 32}" text-anchor="end" fill="#616161">seconds since the phase began</text>`,
    `<text x="${left - 48}" y="${top + plotHeight / 2}" text-anchor="middle" fill="#616161" transform="rotate(-90 ${left - 48} ${top + plotHeight / 2})">calls / s</text>`,
  );
  return parts.join("\n");
}

function legend(x: number, y: number, windowRate: number): string {
  return [
    `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${acceptedColour}"/>`,
    `<text x="${x + 18}" y="${y}">accepted</text>`,
    `<rect x="${x + 90}" y="${y - 10}" width="12" height="12" fill="${rejectedColour}"/>`,
    `<text x="${x + 108}" y="${y}">rejected by the firewall (403)</text>`,
    `<line x1="${x + 300}" y1="${y - 4}" x2="${x + 330}" y2="${y - 4}" stroke="${windowColour}" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<text x="${x + 336}" y="${y}">firewall window: ${formatTick(windowRate)} calls/s</text>`,
  ].join("\n");
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
