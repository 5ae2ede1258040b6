// The monitor area: the live feed and history of playbook changes.
import { Route } from 'react-router-dom';
import { MonitorPage } from './MonitorPage';

export const monitorRoutes = [<Route key="monitor" path="monitor" element={<MonitorPage />} />];
