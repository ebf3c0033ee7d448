-- How many rows the merge inserted and updated (unchanged rows are not in upserted_rows).
SELECT count(*) FILTER (WHERE inserted) AS inserted, count(*) FILTER (WHERE NOT inserted) AS updated
FROM upserted_rows;
