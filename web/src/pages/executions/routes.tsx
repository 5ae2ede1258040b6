import { Route } from 'react-router-dom';

function ExecutionsPlaceholder() {
  return <h1>Executions</h1>;
}

export const executionsRoutes = [
  <Route key="executions" path="executions" element={<ExecutionsPlaceholder />} />,
  <Route key="executions/:id" path="executions/:id" element={<ExecutionsPlaceholder />} />,
  <Route key="manual" path="manual" element={<ExecutionsPlaceholder />} />,
];
