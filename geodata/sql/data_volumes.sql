-- The Budget Bill documents and volumes the loaded lines come from ('2022.3.13(1).11' → 2022, 13).
SELECT DISTINCT (regexp_match(source_key, '^budget-bill:(\d{4})\.(\d+)\.(\d+)'))[1] AS year,
       (regexp_match(source_key, '^budget-bill:(\d{4})\.(\d+)\.(\d+)'))[2] AS issue,
       (regexp_match(source_key, '^budget-bill:(\d{4})\.(\d+)\.(\d+)'))[3]::int AS volume
FROM allocations
WHERE source_key LIKE 'budget-bill:%'
ORDER BY 1, 2, 3;
