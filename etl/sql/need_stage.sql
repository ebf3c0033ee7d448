-- The TPMAP tables as read (checked before this transaction began), one row per level and code.
CREATE TEMP TABLE IF NOT EXISTS stage_need (
    code               text NOT NULL,
    level              text NOT NULL,
    households         bigint NOT NULL,
    persons            bigint NOT NULL,
    failing_any        bigint NOT NULL,
    target_poor        bigint NOT NULL,
    poor_health        bigint NOT NULL,
    poor_living        bigint NOT NULL,
    poor_education     bigint NOT NULL,
    poor_income        bigint NOT NULL,
    poor_access        bigint NOT NULL,
    indicator_assessed bigint[] NOT NULL,
    indicator_failing  bigint[] NOT NULL,
    source_rows        integer NOT NULL,
    PRIMARY KEY (code)
) ON COMMIT DROP;
TRUNCATE stage_need;
