-- The population file as read (checked before this transaction began).
CREATE TEMP TABLE IF NOT EXISTS stage_population (
    code           text NOT NULL,
    year_be        smallint NOT NULL,
    reference_date date NOT NULL,
    total          bigint,
    male           bigint,
    female         bigint,
    households     bigint,
    PRIMARY KEY (code, year_be)
) ON COMMIT DROP;
TRUNCATE stage_population;
