// The small pieces every section of report.html shares: colours, escaping, number format, tables.
export const DOMAIN_COLOURS: Readonly<Record<string, string>> = {
  ecg: '#d62728', chest_xray: '#1f77b4', mammo: '#e377c2', derm: '#8c564b', fundus: '#ff7f0e',
  pathology: '#9467bd', ultrasound: '#17becf', mri: '#2ca02c', ct: '#7f7f7f',
};

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export const fmt = (value: number | null, digits = 3): string => (value === null ? '—' : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(digits));
export const px = (value: number): string => (Math.round(value * 10) / 10).toString();

export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
