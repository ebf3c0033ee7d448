-- Staged items whose "escalated to" chain comes back to themselves (an item escalated to
-- itself, A → B → A, or a loop through items loaded before): a need cannot be taken up by its
-- own follower. Edges by item key: the staged references, and the links already in the
-- database of items this import does not re-point. The path is the loop, for the message.
WITH RECURSIVE edges (src, dst) AS (
    SELECT item_key, escalated_to_ref FROM stage_plan_items WHERE escalated_to_ref IS NOT NULL
  UNION
    SELECT i.item_key, t.item_key
    FROM plan_items i
    JOIN plan_items t ON t.id = i.escalated_to_id
    WHERE NOT EXISTS (SELECT 1 FROM stage_plan_items s
                      WHERE s.item_key = i.item_key AND s.escalated_to_ref IS NOT NULL)
), walk (start, node, path) AS (
    SELECT e.src, e.dst, ARRAY[e.src]
    FROM edges e
    WHERE e.src IN (SELECT item_key FROM stage_plan_items)
  UNION ALL
    SELECT w.start, e.dst, w.path || w.node
    FROM walk w
    JOIN edges e ON e.src = w.node
    WHERE w.node <> w.start AND NOT w.node = ANY (w.path)
)
SELECT DISTINCT ON (w.start) w.start AS item_key, array_to_string(w.path || w.node, ' → ') AS loop
FROM walk w
WHERE w.node = w.start
ORDER BY w.start, cardinality(w.path);
