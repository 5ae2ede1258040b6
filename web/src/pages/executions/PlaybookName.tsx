// A playbook shown by its name, with its id for a playbook no longer stored.
import { shortId } from '../../components/format';

export function PlaybookName({ id, names }: { id: string; names: Map<string, string> }) {
  const name = names.get(id);
  if (name) return <span title={id}>{name}</span>;
  return (
    <span className="mono" title={`${id} (not stored any more, or not readable)`}>
      {shortId(id)}…
    </span>
  );
}
