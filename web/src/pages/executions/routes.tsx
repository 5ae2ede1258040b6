// Routes of the executions area: the list, one execution, the manual steps inbox.
import { Route } from 'react-router-dom';
import { ExecutionDetailPage } from './ExecutionDetailPage';
import { ExecutionsList } from './ExecutionsList';
import { ManualInbox } from './ManualInbox';

export const executionsRoutes = [
  <Route key="executions" path="executions" element={<ExecutionsList />} />,
  <Route key="executions/:id" path="executions/:id" element={<ExecutionDetailPage />} />,
  <Route key="manual" path="manual" element={<ManualInbox />} />,
];
