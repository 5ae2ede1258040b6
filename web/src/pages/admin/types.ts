// Shapes of the enrichment, user, key and secret answers (docs/enrich.md,
// docs/security.md, docs/secrets.md; GET /api/v1/openapi.json).

export interface Asset {
  id: string;
  name: string;
  ips: string[];
  cidrs: string[];
  hostnames: string[];
  owner: string;
  tags: string[];
  criticality: number;
}

export interface Detection {
  detection_id: string;
  first_seen: string;
  last_seen: string;
  count: number;
  asset_id: string | null;
  importance: number;
  external_ids: Record<string, string>;
  [more: string]: unknown;
}

export type RiskConfig = {
  alert_severity?: Record<string, number>;
  confidence_floor?: number;
  criticality_weight?: Record<string, number>;
  unknown_asset_weight?: number;
  risk_window_days?: number;
};

export interface RiskModel {
  configured: RiskConfig;
  effective: Required<RiskConfig>;
}

export interface User {
  id: string;
  name: string;
  role: string;
  disabled: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: string;
  status: 'active' | 'expired' | 'revoked';
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  owner_user_id: string | null;
}

export interface SecretInfo {
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  updated_by: string;
}
