-- The village list as read (all of it checked before this transaction began).
CREATE TEMP TABLE IF NOT EXISTS stage_village_list (
    code    text PRIMARY KEY,
    name_th text NOT NULL,
    name_en text,
    current boolean NOT NULL
) ON COMMIT DROP;
CREATE TEMP TABLE IF NOT EXISTS stage_village_former (
    code       text NOT NULL,
    name_th    text NOT NULL,
    name_en    text,
    renamed_on date
) ON COMMIT DROP;
TRUNCATE stage_village_list, stage_village_former;
