-- Staging for one budget import (dropped at commit); filled by COPY.
DROP TABLE IF EXISTS stage_allocations;
CREATE TEMP TABLE stage_allocations (
    source_key text, title text, amount numeric(16, 2), fiscal_year smallint, area_code text,
    precision text, confidence real, note text, agency text, ministry text, budget_plan text,
    funding_source text, status text, source_row integer, multi_year boolean, source text
) ON COMMIT DROP;
