-- A budget line naming areas in several provinces is counted once at the country, as a plan
-- item is (0019): its precision says "several provinces", not "unlocated".
ALTER TABLE allocations DROP CONSTRAINT allocations_location_precision_check;
ALTER TABLE allocations ADD CONSTRAINT allocations_location_precision_check
    CHECK (location_precision IN ('village', 'tambon', 'district', 'province', 'cluster', 'country', 'none'));
