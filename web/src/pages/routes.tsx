// Every page's routes, one file per area (pages/<area>/routes.tsx).
import { playbooksRoutes } from './playbooks/routes';
import { executionsRoutes } from './executions/routes';
import { casesRoutes } from './cases/routes';
import { monitorRoutes } from './monitor/routes';
import { auditRoutes } from './audit/routes';
import { adminRoutes } from './admin/routes';

export const pageRoutes = [
  ...playbooksRoutes,
  ...executionsRoutes,
  ...casesRoutes,
  ...monitorRoutes,
  ...auditRoutes,
  ...adminRoutes,
];
