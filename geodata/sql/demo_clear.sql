-- Remove the previous synthetic demo (never touches imported data).
DELETE FROM allocations WHERE is_synthetic;
DELETE FROM plan_items WHERE is_synthetic;
DELETE FROM plans WHERE is_synthetic;
DELETE FROM organisations WHERE is_synthetic;
DELETE FROM areas WHERE level = 'village' AND is_synthetic;
