import { Route } from 'react-router-dom';

function AdminPlaceholder() {
  return <h1>Admin</h1>;
}

export const adminRoutes = [
  <Route key="assets" path="assets" element={<AdminPlaceholder />} />,
  <Route key="admin" path="admin" element={<AdminPlaceholder />} />,
];
