-- Remove the previous synthetic demo (never touches imported data, nor villages it refers to).
-- Real villages the demo's items used (the national village list) are not synthetic: they stay.
DELETE FROM allocations WHERE is_synthetic;
DELETE FROM plan_items WHERE is_synthetic;
DELETE FROM plans WHERE is_synthetic;
DELETE FROM organisations WHERE is_synthetic;
DELETE FROM areas a
WHERE a.level = 'village' AND a.is_synthetic
  AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.area_code = a.code)
  AND NOT EXISTS (SELECT 1 FROM allocations l WHERE l.area_code = a.code);
