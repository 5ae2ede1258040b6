import { Route } from 'react-router-dom';

function CasesPlaceholder() {
  return <h1>Cases</h1>;
}

export const casesRoutes = [
  <Route key="cases" path="cases" element={<CasesPlaceholder />} />,
  <Route key="cases/:id" path="cases/:id" element={<CasesPlaceholder />} />,
];
