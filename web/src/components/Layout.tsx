// The frame of every page: the navigation, who is logged in, log out.
import { NavLink, Outlet } from 'react-router-dom';
import { useAuth } from '../api/auth';

const links: { to: string; label: string; permission: string }[] = [
  { to: '/playbooks', label: 'Playbooks', permission: 'playbook.read' },
  { to: '/executions', label: 'Executions', permission: 'execution.read' },
  { to: '/manual', label: 'Manual steps', permission: 'execution.read' },
  { to: '/cases', label: 'Cases', permission: 'case.read' },
  { to: '/monitor', label: 'Monitor', permission: 'playbook.read' },
  { to: '/audit', label: 'Audit log', permission: 'audit.read' },
  { to: '/assets', label: 'Assets & policies', permission: 'knowledge.read' },
  { to: '/admin', label: 'Account & keys', permission: 'account.self' },
];

// Admins manage every user there; everyone else their own account and keys.
function labelFor(link: { to: string; label: string }, can: (p: string) => boolean): string {
  return link.to === '/admin' && can('admin.users') ? 'Users & keys' : link.label;
}

export function Layout() {
  const { me, logout, can } = useAuth();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">atio</span>
        <nav aria-label="Main">
          {links
            .filter((l) => can(l.permission))
            .map((l) => (
              <NavLink key={l.to} to={l.to}>
                {labelFor(l, can)}
              </NavLink>
            ))}
        </nav>
        <div className="whoami">
          <span data-testid="whoami">
            {me?.name} <span className="role">({me?.role})</span>
          </span>
          <button type="button" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
