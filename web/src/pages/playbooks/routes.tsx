import { Route } from 'react-router-dom';

function PlaybooksPlaceholder() {
  return <h1>Playbooks</h1>;
}

export const playbooksRoutes = [
  <Route key="playbooks" path="playbooks" element={<PlaybooksPlaceholder />} />,
  <Route key="playbooks/:id" path="playbooks/:id" element={<PlaybooksPlaceholder />} />,
];
