-- How finely the loaded rows are located: plan items and allocations by location precision.
SELECT 'plans' AS kind, location_precision AS precision, count(*) AS n, sum(requested_amount) AS amount
FROM plan_items GROUP BY 1, 2
UNION ALL
SELECT 'budget', location_precision, count(*), sum(amount)
FROM allocations GROUP BY 1, 2
ORDER BY 1, 3 DESC;
