// CSV as the datasets ship it (RFC 4180 quoting only where needed), one line per row, `\n` endings.

export type CsvValue = string | number | null | undefined;

function field(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

/** A float as pandas writes it in these CSVs: `1.0`, `0.0`, `-1.0`. */
export function pandasFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
