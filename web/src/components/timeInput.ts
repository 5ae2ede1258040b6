// Between <input type="datetime-local"> (the browser's local time, no zone)
// and the RFC 3339 UTC times atio's query parameters take.

export function localInputToIso(value: string): string {
  if (!value) return '';
  const d = new Date(value); // datetime-local values parse as local time
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function isoToLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
