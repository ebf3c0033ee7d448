-- Calendar status of given plans: compliance_plans.sql (inserted below, so "late" means
-- the same everywhere) for the whole country and one fiscal year, kept to the plans asked for.
SELECT c.* FROM ({plans}) AS c WHERE c.id = ANY (%(plan_ids)s);
