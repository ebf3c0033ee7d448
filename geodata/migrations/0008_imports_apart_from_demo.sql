-- Imported organisations and plans never merge with the demo's synthetic ones of the same name: the demo
-- can be replaced without touching what real imports point at.
ALTER TABLE organisations DROP CONSTRAINT organisations_natural_key;
ALTER TABLE organisations ADD CONSTRAINT organisations_natural_key
    UNIQUE NULLS NOT DISTINCT (kind, name_th, area_code, is_synthetic);

-- The same for plans: an imported village plan is never the demo's plan of that village.
ALTER TABLE plans DROP CONSTRAINT plans_natural_key;
ALTER TABLE plans ADD CONSTRAINT plans_natural_key
    UNIQUE NULLS NOT DISTINCT (level, area_code, owner_id, fiscal_year, is_synthetic);
