// Tabs between the pages of one area (links; the current one is marked).
// `match` decides when a tab is current where the path alone does not
// (/assets/new belongs to Assets, /assets/policies does not).
import { Link, NavLink, useLocation } from 'react-router-dom';

export interface SubNavLink {
  to: string;
  label: string;
  end?: boolean;
  match?: (pathname: string) => boolean;
}

export function SubNav({ label, links }: { label: string; links: SubNavLink[] }) {
  const { pathname } = useLocation();
  return (
    <nav className="subnav" aria-label={label}>
      {links.map((l) => {
        if (!l.match)
          return (
            <NavLink key={l.to} to={l.to} end={l.end}>
              {l.label}
            </NavLink>
          );
        const current = l.match(pathname);
        return (
          <Link key={l.to} to={l.to} className={current ? 'active' : ''} aria-current={current ? 'page' : undefined}>
            {l.label}
          </Link>
        );
      })}
    </nav>
  );
}
