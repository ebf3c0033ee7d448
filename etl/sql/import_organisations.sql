-- Ministries and agencies named by staged rows (stage_orgs: agency, ministry), created once
-- (imported organisations are never the demo's synthetic ones, see migration 0008).
INSERT INTO organisations (kind, name_th)
SELECT DISTINCT 'ministry', ministry FROM stage_orgs WHERE ministry IS NOT NULL
ON CONFLICT ON CONSTRAINT organisations_natural_key DO NOTHING;

INSERT INTO organisations (kind, name_th, parent_id)
SELECT DISTINCT ON (s.agency) 'agency', s.agency, m.id
FROM stage_orgs s
LEFT JOIN organisations m ON m.kind = 'ministry' AND m.name_th = s.ministry AND m.area_code IS NULL
                       AND NOT m.is_synthetic
WHERE s.agency IS NOT NULL
ORDER BY s.agency, m.id
ON CONFLICT ON CONSTRAINT organisations_natural_key DO NOTHING;
