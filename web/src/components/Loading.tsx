export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="fw-loading" role="status" aria-live="polite">
      {label}
    </p>
  );
}
