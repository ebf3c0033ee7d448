DROP TABLE IF EXISTS stage_matches;
CREATE TEMP TABLE stage_matches (
    allocation_key text, item_id bigint, confidence real, title_score real
) ON COMMIT DROP;
