import { Route } from 'react-router-dom';

function MonitorPlaceholder() {
  return <h1>Monitor</h1>;
}

export const monitorRoutes = [
  <Route key="monitor" path="monitor" element={<MonitorPlaceholder />} />,
];
