-- The first version of the sources being imported (before_rows is empty: none of their items is
-- in the database): import_plans_items.sql without its conflict handling, which has nothing to
-- find. The ids go to upserted_rows, every one new.
DROP TABLE IF EXISTS upserted_rows;
CREATE TEMP TABLE upserted_rows (id bigint PRIMARY KEY, inserted boolean) ON COMMIT DROP;

-- The plans are hashed at once, not looked up row by row in their index (the planner's guess
-- of the rows the join with sources leaves is far too low on a large file): nested loops off
-- for this statement only, the setting as it was restored after it.
SELECT set_config('planmap.enable_nestloop', current_setting('enable_nestloop'), true),
       set_config('enable_nestloop', 'off', true);

WITH inserted AS (
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
    RETURNING id
)
INSERT INTO upserted_rows SELECT id, true FROM inserted;

SELECT set_config('enable_nestloop', current_setting('planmap.enable_nestloop'), true);
