-- Merge staged allocations by their natural key (source_key); unchanged rows are not rewritten.
-- The ids and whether each was new go to upserted_rows.
DROP TABLE IF EXISTS upserted_rows;
CREATE TEMP TABLE upserted_rows (id bigint PRIMARY KEY, inserted boolean) ON COMMIT DROP;

WITH upserted AS (
    INSERT INTO allocations (source_key, fiscal_year, agency_id, funding_source, title, area_code,
                             location_precision, location_confidence, location_note, amount, status,
                             budget_plan, import_run_id, source_row, multi_year, notice_tracked, source_id)
    SELECT s.source_key, s.fiscal_year, a.id, s.funding_source, s.title, s.area_code, s.precision,
           s.confidence, nullif(s.note, ''), s.amount, s.status, s.budget_plan, %(run_id)s, s.source_row,
           s.multi_year, false, src.id
    FROM stage_allocations s
    JOIN sources src ON src.kind = 'budget' AND src.name = s.source
    LEFT JOIN organisations a ON a.kind = 'agency' AND a.name_th = s.agency AND a.area_code IS NULL
                          AND NOT a.is_synthetic
    ON CONFLICT (source_key) DO UPDATE
    SET fiscal_year = EXCLUDED.fiscal_year, agency_id = EXCLUDED.agency_id,
        funding_source = EXCLUDED.funding_source, title = EXCLUDED.title, area_code = EXCLUDED.area_code,
        location_precision = EXCLUDED.location_precision, location_confidence = EXCLUDED.location_confidence,
        location_note = EXCLUDED.location_note, amount = EXCLUDED.amount, status = EXCLUDED.status,
        budget_plan = EXCLUDED.budget_plan, import_run_id = EXCLUDED.import_run_id,
        source_row = EXCLUDED.source_row, multi_year = EXCLUDED.multi_year,
        notice_tracked = EXCLUDED.notice_tracked, source_id = EXCLUDED.source_id
    WHERE (allocations.fiscal_year, allocations.agency_id, allocations.funding_source, allocations.title,
           allocations.area_code, allocations.location_precision, allocations.location_note,
           allocations.amount, allocations.status, allocations.budget_plan, allocations.multi_year,
           allocations.notice_tracked, allocations.source_id)
          IS DISTINCT FROM
          (EXCLUDED.fiscal_year, EXCLUDED.agency_id, EXCLUDED.funding_source, EXCLUDED.title,
           EXCLUDED.area_code, EXCLUDED.location_precision, EXCLUDED.location_note,
           EXCLUDED.amount, EXCLUDED.status, EXCLUDED.budget_plan, EXCLUDED.multi_year,
           EXCLUDED.notice_tracked, EXCLUDED.source_id)
    RETURNING id, (xmax = 0) AS inserted
)
INSERT INTO upserted_rows SELECT id, inserted FROM upserted;
