// One detection (GET /detections/{id}): its sighting, asset, importance and
// the ids other tools gave it, then the whole record as JSON.
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import { JsonView } from '../../../components/JsonView';
import { formatTime } from '../../../components/format';
import type { Detection } from '../types';
import { useAssetNames } from './DetectionsPage';

export function DetectionDetail() {
  const { id } = useParams();
  const loaded = useApi<Detection>(`/detections/${id}`);
  const names = useAssetNames();
  const d = loaded.data;
  return (
    <section aria-labelledby="detection-title">
      <p>
        <Link to="/assets/detections">← Detections</Link>
      </p>
      <h2 id="detection-title">
        Detection <span className="mono">{id}</span>
      </h2>
      <DataState what="the detection" loading={loaded.loading} error={loaded.error} onRetry={loaded.reload}>
        {d && (
          <>
            <dl className="facts panel">
              <dt>First seen</dt>
              <dd>{formatTime(d.first_seen)}</dd>
              <dt>Last seen</dt>
              <dd>{formatTime(d.last_seen)}</dd>
              <dt>Count</dt>
              <dd>{d.count}</dd>
              <dt>Importance</dt>
              <dd>{d.importance} / 100</dd>
              <dt>Asset</dt>
              <dd>
                {d.asset_id ? (
                  <Link to={`/assets/${d.asset_id}`}>{names.get(d.asset_id) ?? d.asset_id}</Link>
                ) : (
                  <span className="muted">no asset matched</span>
                )}
              </dd>
              <dt>Known to</dt>
              <dd>
                {Object.keys(d.external_ids ?? {}).length === 0
                  ? <span className="muted">no other tool yet</span>
                  : Object.entries(d.external_ids).map(([t, v]) => `${t}: ${v}`).join(', ')}
              </dd>
            </dl>
            <h3>Record</h3>
            <JsonView value={d} openDepth={2} label="The detection as JSON" />
          </>
        )}
      </DataState>
    </section>
  );
}
