// Routes of the admin area: enrichment knowledge under /assets (assets,
// policies, risk model, detections) and accounts under /admin (you and your
// API keys, users, secrets).
import { Outlet, Route } from 'react-router-dom';
import { useAuth } from '../../api/auth';
import { SubNav, type SubNavLink } from '../../components/SubNav';
import { AccountPage } from './account/AccountPage';
import { SecretsPage } from './account/SecretsPage';
import { UsersPage } from './account/UsersPage';
import { AssetForm } from './assets/AssetForm';
import { AssetImport } from './assets/AssetImport';
import { AssetList } from './assets/AssetList';
import { DetectionDetail } from './knowledge/DetectionDetail';
import { DetectionsPage } from './knowledge/DetectionsPage';
import { PoliciesPage } from './knowledge/PoliciesPage';
import { RiskModelPage } from './knowledge/RiskModelPage';
import { NeedsPermission } from './NeedsPermission';

function KnowledgeArea() {
  return (
    <>
      <h1>Assets &amp; policies</h1>
      <SubNav
        label="Enrichment"
        links={[
          { to: '/assets', label: 'Assets', match: (p) => !/^\/assets\/(policies|risk-model|detections)/.test(p) },
          { to: '/assets/policies', label: 'Policies' },
          { to: '/assets/risk-model', label: 'Risk model' },
          { to: '/assets/detections', label: 'Detections' },
        ]}
      />
      <NeedsPermission permission="knowledge.read" what="reading assets and policies">
        <Outlet />
      </NeedsPermission>
    </>
  );
}

function AccountArea() {
  const { can } = useAuth();
  const links: SubNavLink[] = [{ to: '/admin', label: 'You & API keys', end: true }];
  if (can('admin.users')) links.push({ to: '/admin/users', label: 'Users', end: false });
  if (can('secret.manage')) links.push({ to: '/admin/secrets', label: 'Secrets', end: false });
  return (
    <>
      <h1>Users &amp; keys</h1>
      <SubNav label="Accounts" links={links} />
      <Outlet />
    </>
  );
}

export const adminRoutes = [
  <Route key="assets" path="assets" element={<KnowledgeArea />}>
    <Route index element={<AssetList />} />
    <Route path="new" element={<AssetForm />} />
    <Route path="import" element={<AssetImport />} />
    <Route path="policies" element={<PoliciesPage />} />
    <Route path="risk-model" element={<RiskModelPage />} />
    <Route path="detections" element={<DetectionsPage />} />
    <Route path="detections/:id" element={<DetectionDetail />} />
    <Route path=":id" element={<AssetForm />} />
  </Route>,
  <Route key="admin" path="admin" element={<AccountArea />}>
    <Route index element={<AccountPage />} />
    <Route path="users" element={<UsersPage />} />
    <Route path="secrets" element={<SecretsPage />} />
  </Route>,
];
