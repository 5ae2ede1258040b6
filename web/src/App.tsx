// Routes of the UI. Every page lives in pages/ and talks to atio only
// through the public REST API (api/client.ts).
import { Navigate, Route, Routes } from 'react-router-dom';
import { useAuth } from './api/auth';
import { Layout } from './components/Layout';
import { Loading } from './components/DataState';
import { Login } from './pages/Login';
import { pageRoutes } from './pages/routes';

export function App() {
  const { me, checked } = useAuth();
  if (!checked) return <Loading what="atio" />;
  if (!me) return <Login />;
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/playbooks" replace />} />
        {pageRoutes}
        <Route path="*" element={<p className="state">This page does not exist. Pick one from the menu above.</p>} />
      </Route>
    </Routes>
  );
}
