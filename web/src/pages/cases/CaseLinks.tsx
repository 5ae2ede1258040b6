// What a case is linked to: its STIX objects, the executions that touched it
// (each opens its execution page) and the ids other tools gave it.
import { Link } from 'react-router-dom';
import { formatTime } from '../../components/format';
import type { CaseLink } from './types';

export function CaseLinks({ links }: { links: CaseLink[] }) {
  const stix = links.filter((l) => l.kind === 'stix');
  const executions = links.filter((l) => l.kind === 'execution');
  const external = links.filter((l) => l.kind === 'external');
  const other = links.filter((l) => !['stix', 'execution', 'external'].includes(l.kind));
  if (links.length === 0) return <p className="muted">Nothing is linked to this case.</p>;
  return (
    <div className="case-links" data-testid="case-links">
      {executions.length > 0 && (
        <>
          <h3>Executions</h3>
          <ul>
            {executions.map((l) => (
              <li key={l.ref}>
                <Link to={`/executions/${l.ref}`} className="mono" data-testid="case-execution-link">
                  {l.ref}
                </Link>{' '}
                <span className="muted">linked {formatTime(l.added_at)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {external.length > 0 && (
        <>
          <h3>Other tools</h3>
          <ul>
            {external.map((l) => (
              <li key={`${l.tool}:${l.ref}`}>
                <span className="badge">{l.tool ?? 'tool'}</span> <span className="mono">{l.ref}</span>{' '}
                <span className="muted">linked {formatTime(l.added_at)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {stix.length > 0 && (
        <>
          <h3>STIX objects</h3>
          <ul>
            {stix.map((l) => (
              <li key={l.ref}>
                <span className="mono">{l.ref}</span> <span className="muted">linked {formatTime(l.added_at)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {other.length > 0 && (
        <>
          <h3>Other links</h3>
          <ul>
            {other.map((l) => (
              <li key={`${l.kind}:${l.ref}`}>
                {l.kind}: <span className="mono">{l.ref}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
