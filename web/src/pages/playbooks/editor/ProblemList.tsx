// Above the graph after a refused save: how many problems atio found, those
// about the playbook as a whole, and a button per step with problems that
// selects it (its node is marked and its form shows each message).
import type { CacaoStep } from '../../../graph/cacao';
import { pointerOf, type Problem } from './problems';

export function ProblemList(props: {
  total: number;
  playbook: Problem[];
  byStep: Record<string, Problem[]>;
  workflow: Record<string, CacaoStep>;
  stepCount: number;
  onPick: (stepId: string) => void;
}) {
  return (
    <div className="error-banner pb-problems" role="alert" data-testid="save-problems">
      <strong>
        atio did not save the playbook: {props.total} problem{props.total === 1 ? '' : 's'}.
      </strong>{' '}
      {props.stepCount > 0 && <span>Steps with problems are marked in the graph; select one to see its messages next to its fields.</span>}
      {props.playbook.length > 0 && (
        <ul data-testid="playbook-problems">
          {props.playbook.map((p, i) => (
            <li key={i}>
              <code>{pointerOf(p.path) || '(playbook)'}</code> {p.message}
            </li>
          ))}
        </ul>
      )}
      {props.stepCount > 0 && (
        <div className="pb-problem-steps">
          {Object.entries(props.byStep).map(([id, list]) => (
            <button type="button" key={id} className="link" onClick={() => props.onPick(id)}>
              {props.workflow[id]?.name || id}: {list.length} problem{list.length === 1 ? '' : 's'}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
