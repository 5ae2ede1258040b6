// The audit area: the log and one record.
import { Route } from 'react-router-dom';
import { AuditList } from './AuditList';
import { AuditRecordPage } from './AuditRecordPage';

export const auditRoutes = [
  <Route key="audit" path="audit" element={<AuditList />} />,
  <Route key="audit/:seq" path="audit/:seq" element={<AuditRecordPage />} />,
];
