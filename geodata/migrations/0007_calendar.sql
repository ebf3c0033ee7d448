-- The annual planning calendar (DESIGN §1) as data, so a province can adjust it, and the date
-- each Budget Act took effect (agencies must notify the province within notice_days of it).
-- Plans for fiscal year N (BE) are prepared in calendar year N − 543 − years_before (CE):
-- village plans for FY2569 in Jan–Feb 2024, province plans in Jul–Sep 2024, sent to agencies in
-- October 2024 for their FY2569 budget requests.

CREATE TABLE plan_calendar (
    level        text PRIMARY KEY REFERENCES plan_levels (level),
    start_month  smallint NOT NULL CHECK (start_month BETWEEN 1 AND 12),
    end_month    smallint NOT NULL CHECK (end_month BETWEEN 1 AND 12),
    years_before smallint NOT NULL DEFAULT 2 CHECK (years_before BETWEEN 0 AND 3),
    note         text
);
INSERT INTO plan_calendar (level, start_month, end_month, years_before, note) VALUES
    ('village',  1, 2, 2, 'คณะกรรมการหมู่บ้าน ม.ค.–ก.พ.'),
    ('tambon',   3, 5, 2, 'ศูนย์ประสานงานองค์กรชุมชนระดับตำบล มี.ค.–พ.ค.'),
    ('local',    3, 5, 2, 'อปท. มี.ค.–พ.ค. (ก่อนงบประมาณท้องถิ่น ภายใน มิ.ย.)'),
    ('district', 4, 5, 2, 'คณะกรรมการบริหารงานอำเภอ เม.ย.–พ.ค.'),
    ('province', 7, 9, 2, 'จังหวัด ก.ค.–ก.ย.'),
    ('cluster',  7, 9, 2, 'กลุ่มจังหวัด ก.ค.–ก.ย.');

CREATE TABLE budget_acts (
    fiscal_year  smallint PRIMARY KEY CHECK (fiscal_year BETWEEN 2500 AND 2700),
    effective_on date NOT NULL,
    notice_days  smallint NOT NULL DEFAULT 30 CHECK (notice_days > 0)
);
-- Without a row, the Act is taken to start with the fiscal year (1 October, CE N − 544).
CREATE VIEW budget_act_dates AS
SELECT y AS fiscal_year,
       coalesce(b.effective_on, make_date(y - 544, 10, 1)) AS effective_on,
       coalesce(b.notice_days, 30) AS notice_days
FROM generate_series(2500, 2700) AS y
LEFT JOIN budget_acts b ON b.fiscal_year = y;

-- Possibly duplicated projects: two records of different sources (an agency allocation, a local
-- plan item, a province plan item …) in the same tambon and fiscal year, not on the same chain,
-- with similar titles. Rebuilt after every load; the committee reads it with the evidence.
CREATE TABLE overlap_pairs (
    id           bigserial PRIMARY KEY,
    fiscal_year  smallint NOT NULL,
    tambon_code  text NOT NULL REFERENCES areas (code) ON DELETE CASCADE,
    a_kind       text NOT NULL CHECK (a_kind IN ('allocation', 'plan_item')),
    a_id         bigint NOT NULL,
    a_source     text NOT NULL,
    a_title      text NOT NULL,
    a_amount     numeric(16, 2) NOT NULL,
    b_kind       text NOT NULL CHECK (b_kind IN ('allocation', 'plan_item')),
    b_id         bigint NOT NULL,
    b_source     text NOT NULL,
    b_title      text NOT NULL,
    b_amount     numeric(16, 2) NOT NULL,
    similarity   real NOT NULL CHECK (similarity BETWEEN 0 AND 1)
);
CREATE INDEX overlap_pairs_place_idx ON overlap_pairs (fiscal_year, tambon_code);
