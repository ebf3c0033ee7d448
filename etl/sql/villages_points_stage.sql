-- Village points placed inside their tambon, before they are written (dropped at commit).
CREATE TEMP TABLE IF NOT EXISTS stage_village_points (
    code  text PRIMARY KEY,
    point geometry(Point, 4326) NOT NULL
) ON COMMIT DROP;
TRUNCATE stage_village_points;
