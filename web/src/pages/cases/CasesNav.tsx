// The two views of the cases area: the list and the response-time charts.
import { NavLink } from 'react-router-dom';

export function CasesNav() {
  return (
    <nav className="subnav" aria-label="Cases views">
      <NavLink to="/cases" end>
        Cases
      </NavLink>
      <NavLink to="/cases/metrics">Response times (MTTD / MTTA / MTTR)</NavLink>
    </nav>
  );
}
