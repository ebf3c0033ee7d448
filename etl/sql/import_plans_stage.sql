-- Staging for one plans import (dropped at commit); filled by COPY.
DROP TABLE IF EXISTS stage_plan_items;
CREATE TEMP TABLE stage_plan_items (
    item_key text, title text, amount numeric(16, 2), fiscal_year smallint, area_code text,
    precision text, confidence real, note text, plan_level text, plan_area text, agency text,
    ministry text, sector text, strategy text, beyond boolean, escalated_to_ref text,
    submitted_on date, source_row integer, cycle text, source text,
    as_written text[], content_key text, has_ref boolean
) ON COMMIT DROP;
