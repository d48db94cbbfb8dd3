// Two small SVG charts (no charting library): horizontal bars and a donut, each with a text
// equivalent (a table) for screen readers and for reading exact figures.
import { t } from '../i18n/index.ts';

export interface Datum {
  label: string;
  value: number;
}

const COLOURS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490'];

export function BarChart({ title, data, format }: { title: string; data: Datum[]; format: (n: number) => string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const rowHeight = 32;
  const height = Math.max(rowHeight, data.length * rowHeight);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={title} viewBox={`0 0 400 ${height}`} width="100%" preserveAspectRatio="xMinYMin meet">
        {data.map((d, i) => {
          const width = Math.max(2, (d.value / max) * 220);
          const y = i * rowHeight;
          return (
            <g key={d.label}>
              <text x="0" y={y + 20} fontSize="12" fill="#1f2937">
                {d.label.length > 14 ? `${d.label.slice(0, 13)}…` : d.label}
              </text>
              <rect x="110" y={y + 6} width={width} height="20" fill={COLOURS[i % COLOURS.length]} rx="3" />
              <text x={116 + width} y={y + 20} fontSize="12" fill="#1f2937">
                {format(d.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable data={data} format={format} />
    </figure>
  );
}

export function DonutChart({ title, data, format }: { title: string; data: Datum[]; format: (n: number) => string }) {
  const total = data.reduce((sum, d) => sum + d.value, 0) || 1;
  const radius = 60;
  const circumference = 2 * Math.PI * radius;
  let offset = 0;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg role="img" aria-label={title} viewBox="0 0 160 160" width="160" height="160">
        {data.map((d, i) => {
          const length = (d.value / total) * circumference;
          const circle = (
            <circle
              key={d.label}
              cx="80"
              cy="80"
              r={radius}
              fill="none"
              stroke={COLOURS[i % COLOURS.length]}
              strokeWidth="28"
              strokeDasharray={`${length} ${circumference - length}`}
              strokeDashoffset={-offset}
              transform="rotate(-90 80 80)"
            />
          );
          offset += length;
          return circle;
        })}
      </svg>
      <DataTable data={data} format={format} />
    </figure>
  );
}

function DataTable({ data, format }: { data: Datum[]; format: (n: number) => string }) {
  return (
    <table className="chart-table">
      <tbody>
        {data.map((d, i) => (
          <tr key={d.label}>
            <th scope="row">
              <span className="swatch" style={{ background: COLOURS[i % COLOURS.length] }} aria-hidden="true" />
              {d.label}
            </th>
            <td>{format(d.value)}</td>
          </tr>
        ))}
        {data.length === 0 && (
          <tr>
            <td>{t.app.empty}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
