// The cases area: the list, one case, and the response-time charts.
import { Route } from 'react-router-dom';
import { CaseDetail } from './CaseDetail';
import { CaseList } from './CaseList';
import { MetricsPage } from './MetricsPage';

export const casesRoutes = [
  <Route key="cases" path="cases" element={<CaseList />} />,
  <Route key="cases/metrics" path="cases/metrics" element={<MetricsPage />} />,
  <Route key="cases/:id" path="cases/:id" element={<CaseDetail />} />,
];
