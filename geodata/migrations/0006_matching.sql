-- Matching supply to demand (DESIGN §3.6): suggestions waiting for a planning officer, and the
-- officer's decisions. Both name allocations and plan items by natural keys (source_key; plan
-- level, area, fiscal year and item_key), so they survive re-imports that renumber ids.

CREATE TABLE match_review (
    allocation_key   text NOT NULL,
    item_level       text NOT NULL,
    item_area        text NOT NULL,
    item_fiscal_year smallint NOT NULL,
    item_key         text NOT NULL,
    confidence       real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    title_score      real NOT NULL,
    suggested_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (allocation_key, item_level, item_area, item_fiscal_year, item_key)
);

CREATE TABLE match_decisions (
    allocation_key   text NOT NULL,
    item_level       text NOT NULL,
    item_area        text NOT NULL,
    item_fiscal_year smallint NOT NULL,
    item_key         text NOT NULL,
    decision         text NOT NULL CHECK (decision IN ('accepted', 'rejected')),
    confidence       real,
    decided_by       text,
    decided_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (allocation_key, item_level, item_area, item_fiscal_year, item_key)
);

-- The natural key of every plan item, for joining decisions back to ids.
CREATE VIEW plan_item_keys AS
SELECT i.id, p.level AS item_level, p.area_code AS item_area, p.fiscal_year AS item_fiscal_year, i.item_key
FROM plan_items i JOIN plans p ON p.id = i.plan_id;
