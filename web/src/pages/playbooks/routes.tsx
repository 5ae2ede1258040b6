// The playbook pages: the list, one playbook, the editor (new or existing)
// and the version history with diff and restore.
import { Route } from 'react-router-dom';
import { PlaybookList } from './PlaybookList';
import { PlaybookDetail } from './PlaybookDetail';
import { PlaybookEditorPage } from './editor/PlaybookEditor';
import { VersionsPage } from './versions/VersionsPage';

export const playbooksRoutes = [
  <Route key="playbooks" path="playbooks" element={<PlaybookList />} />,
  <Route key="playbooks/new" path="playbooks/new" element={<PlaybookEditorPage />} />,
  <Route key="playbooks/:id" path="playbooks/:id" element={<PlaybookDetail />} />,
  <Route key="playbooks/:id/edit" path="playbooks/:id/edit" element={<PlaybookEditorPage />} />,
  <Route key="playbooks/:id/versions" path="playbooks/:id/versions" element={<VersionsPage />} />,
];
