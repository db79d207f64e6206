const dateTime = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

const dateOnly = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTime.format(date);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateOnly.format(date);
}

/** "a, b ,c" → ["a","b","c"] (trimmed, empties dropped, de-duplicated). */
export function splitList(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
}

export function roleLabel(role: string, labels: ReadonlyMap<string, string>): string {
  return labels.get(role) ?? role;
}

/** Compartment names as the API wants them: upper case, comma-separated input. */
export function parseCompartments(text: string): string[] {
  return splitList(text.toUpperCase());
}
