-- Imported organisations never merge with the demo's synthetic ones of the same name: the demo
-- can be replaced without touching what real imports point at.
ALTER TABLE organisations DROP CONSTRAINT organisations_natural_key;
ALTER TABLE organisations ADD CONSTRAINT organisations_natural_key
    UNIQUE NULLS NOT DISTINCT (kind, name_th, area_code, is_synthetic);
