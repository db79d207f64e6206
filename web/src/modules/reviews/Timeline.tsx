import { ScrollTable } from '../../components/ScrollTable.tsx';
import { formatDateTime } from '../../format.ts';
import { actionText, type TimelineItem } from './types.ts';

function detailText(item: TimelineItem): string {
  const d = item.detail;
  if (item.kind === 'release_change') return `${formatDateTime(String(d.from))} → ${formatDateTime(String(d.to))}${d.reason ? ` (${String(d.reason)})` : ''}`;
  const parts: string[] = [];
  if (typeof d.from === 'string' && typeof d.to === 'string') parts.push(`${formatDateTime(d.from)} → ${formatDateTime(d.to)}`);
  if (Array.isArray(d.agencies)) parts.push(`agencies: ${d.agencies.join(', ')}`);
  if (typeof d.closesAt === 'string' && !d.from) parts.push(`closes ${formatDateTime(d.closesAt)}`);
  if (typeof d.grantee === 'string') parts.push(`grantee: ${d.grantee}`);
  if (typeof d.reason === 'string') parts.push(d.reason);
  return parts.join('; ');
}

export function TimelineTable({ items }: { items: TimelineItem[] }) {
  if (items.length === 0) return <p>Nothing has happened yet.</p>;
  return (
    <ScrollTable captionId="timeline-caption">
      <table className="usa-table usa-table--borderless" data-testid="timeline">
        <caption id="timeline-caption">What happened, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">By</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => (
            <tr key={`${item.at}-${i}`}>
              <td className="fw-nowrap">{formatDateTime(item.at)}</td>
              <td>{actionText(item.action)}</td>
              <td>{item.actorOrgName ?? (item.kind === 'release_change' ? 'Developer' : 'Forewarn (scheduled)')}</td>
              <td>{detailText(item)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
