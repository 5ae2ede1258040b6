import { Route } from 'react-router-dom';

function AuditPlaceholder() {
  return <h1>Audit</h1>;
}

export const auditRoutes = [
  <Route key="audit" path="audit" element={<AuditPlaceholder />} />,
  <Route key="audit/:seq" path="audit/:seq" element={<AuditPlaceholder />} />,
];
