// Small shared pieces for the determinations pages.
import { formatDateTime } from '../../format.ts';
import { POSITION_LABEL, type Position } from './types.ts';

export { TextAreaField } from '../../components/Field.tsx';

export function PositionsList({ positions, empty }: { positions: Position[]; empty: string }) {
  if (positions.length === 0) return <p>{empty}</p>;
  return (
    <ul className="usa-list" data-testid="positions">
      {positions.map((p) => (
        <li key={p.id}>
          <strong>{p.agencyCode ?? p.agencyName}</strong>: {POSITION_LABEL[p.position]} ({p.userEmail ?? 'unknown'}, {formatDateTime(p.at)})
          {p.comment ? <div className="fw-prewrap">“{p.comment}”</div> : null}
        </li>
      ))}
    </ul>
  );
}
