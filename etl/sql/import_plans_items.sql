-- Upsert staged items by (source, item_key): an item keeps its id across versions of its source
-- even when the locator moves it to another plan; unchanged rows are not rewritten, so importing
-- the same file again changes nothing. The ids and whether each was new go to upserted_rows.
DROP TABLE IF EXISTS upserted_rows;
CREATE TEMP TABLE upserted_rows (id bigint PRIMARY KEY, inserted boolean) ON COMMIT DROP;

WITH upserted AS (
    INSERT INTO plan_items (plan_id, item_key, title, sector, strategy, area_code, location_precision,
                            location_confidence, location_note, fiscal_year, requested_amount,
                            beyond_capacity, agency_id, import_run_id, source_row, source_id, as_written, has_ref)
    SELECT p.id, s.item_key, s.title, s.sector, s.strategy, s.area_code, s.precision, s.confidence,
           nullif(s.note, ''), s.fiscal_year, s.amount, s.beyond, a.id, %(run_id)s, s.source_row, src.id,
           s.as_written, s.has_ref
    FROM stage_plan_items s
    JOIN sources src ON src.kind = 'plans' AND src.name = s.source
    JOIN plans p ON p.level = s.plan_level AND p.area_code = s.plan_area
                AND p.fiscal_year = s.fiscal_year AND p.cycle = s.cycle
                AND p.owner_id IS NULL AND NOT p.is_synthetic
    LEFT JOIN organisations a ON a.kind = 'agency' AND a.name_th = s.agency AND a.area_code IS NULL
                          AND NOT a.is_synthetic
    ON CONFLICT (source_id, item_key) WHERE source_id IS NOT NULL DO UPDATE
    SET plan_id = EXCLUDED.plan_id, title = EXCLUDED.title, sector = EXCLUDED.sector,
        strategy = EXCLUDED.strategy, area_code = EXCLUDED.area_code,
        location_precision = EXCLUDED.location_precision, location_confidence = EXCLUDED.location_confidence,
        location_note = EXCLUDED.location_note, fiscal_year = EXCLUDED.fiscal_year,
        requested_amount = EXCLUDED.requested_amount, beyond_capacity = EXCLUDED.beyond_capacity,
        agency_id = EXCLUDED.agency_id, import_run_id = EXCLUDED.import_run_id,
        source_row = EXCLUDED.source_row, as_written = EXCLUDED.as_written,
        has_ref = EXCLUDED.has_ref
    WHERE (plan_items.plan_id, plan_items.title, plan_items.sector, plan_items.strategy, plan_items.area_code,
           plan_items.location_precision, plan_items.location_note, plan_items.fiscal_year,
           plan_items.requested_amount, plan_items.beyond_capacity, plan_items.agency_id, plan_items.as_written)
          IS DISTINCT FROM
          (EXCLUDED.plan_id, EXCLUDED.title, EXCLUDED.sector, EXCLUDED.strategy, EXCLUDED.area_code,
           EXCLUDED.location_precision, EXCLUDED.location_note, EXCLUDED.fiscal_year,
           EXCLUDED.requested_amount, EXCLUDED.beyond_capacity, EXCLUDED.agency_id, EXCLUDED.as_written)
    RETURNING id, (xmax = 0) AS inserted
)
INSERT INTO upserted_rows SELECT id, inserted FROM upserted;
