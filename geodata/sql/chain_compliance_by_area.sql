-- Plans of an area and fiscal year by plan level and by the sub-area they are in (the first
-- "length" characters of the plan's area code: a province's districts, a district's tambons …):
-- how many, how many late, how many without a submission date. From compliance_plans.sql
-- (inserted below).
SELECT left(c.area_code, %(length)s) AS code, c.level,
       count(*) FILTER (WHERE c.status <> 'not_applicable') AS plans,
       count(*) FILTER (WHERE c.status = 'not_applicable') AS not_applicable,
       count(*) FILTER (WHERE c.status = 'late') AS late,
       count(*) FILTER (WHERE c.status = 'unknown') AS unknown,
       max(c.days_late) AS max_days_late
FROM ({plans}) AS c
GROUP BY 1, 2
ORDER BY 1, 2;
