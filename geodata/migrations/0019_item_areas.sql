-- Items that name several areas (a road joining three villages, a project in two districts, the
-- southern border provinces). The item is counted once, at the lowest area that holds every
-- area it names (plan_items.area_code, so no total ever doubles); each named area is kept here,
-- with its own precision (the code length) and its role, so every named area can list the item
-- as shared with the others. A road's far end ('end') is named but is not where the item is.
CREATE TABLE plan_item_areas (
    item_id   bigint NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    area_code text NOT NULL REFERENCES areas (code),
    role      text NOT NULL CHECK (role IN ('named', 'end')),
    position  smallint NOT NULL CHECK (position >= 0),   -- order in the text
    PRIMARY KEY (item_id, area_code)
);
CREATE INDEX plan_item_areas_area_idx ON plan_item_areas (area_code text_pattern_ops);

-- An item naming areas in several provinces is counted at the country, and is not "unlocated":
-- its precision says "several provinces".
ALTER TABLE plan_items DROP CONSTRAINT plan_items_location_precision_check;
ALTER TABLE plan_items ADD CONSTRAINT plan_items_location_precision_check
    CHECK (location_precision IN ('village', 'tambon', 'district', 'province', 'cluster', 'country', 'none'));

-- 0016 replaced the (plan_id, item_key) unique constraint with partial indexes, which the
-- foreign-key check of plans → plan_items cannot use: deleting the demo's plans took minutes.
CREATE INDEX plan_items_plan_idx ON plan_items (plan_id);
