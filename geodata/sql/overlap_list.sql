-- Possibly duplicated projects of an area and fiscal year, for the committee: the pairs of
-- overlap_pairs (rebuilt after every load) in tambons matching any of the LIKE "patterns", with
-- the tambon and district names and, for each side, the plan level of a plan item or the
-- funding source and agency of an allocation. Most similar first; "total" counts all pairs.
SELECT o.id, o.fiscal_year, o.tambon_code, t.name_th AS tambon_th, t.name_en AS tambon_en,
       d.name_th AS district_th, d.name_en AS district_en,
       o.a_kind, o.a_id, o.a_source, o.a_title, o.a_amount,
       pa.level AS a_level, aa.funding_source AS a_funding, ga.name_th AS a_agency_th, ga.name_en AS a_agency_en,
       o.b_kind, o.b_id, o.b_source, o.b_title, o.b_amount,
       pb.level AS b_level, ab.funding_source AS b_funding, gb.name_th AS b_agency_th, gb.name_en AS b_agency_en,
       o.similarity, count(*) OVER () AS total
FROM overlap_pairs o
JOIN areas t ON t.code = o.tambon_code
LEFT JOIN areas d ON d.code = left(o.tambon_code, 4)
LEFT JOIN plan_items ia ON o.a_kind = 'plan_item' AND ia.id = o.a_id
LEFT JOIN plans pa ON pa.id = ia.plan_id
LEFT JOIN allocations aa ON o.a_kind = 'allocation' AND aa.id = o.a_id
LEFT JOIN organisations ga ON ga.id = aa.agency_id
LEFT JOIN plan_items ib ON o.b_kind = 'plan_item' AND ib.id = o.b_id
LEFT JOIN plans pb ON pb.id = ib.plan_id
LEFT JOIN allocations ab ON o.b_kind = 'allocation' AND ab.id = o.b_id
LEFT JOIN organisations gb ON gb.id = ab.agency_id
WHERE o.fiscal_year = %(fiscal_year)s
  AND o.tambon_code LIKE ANY (%(patterns)s)
ORDER BY o.similarity DESC, greatest(o.a_amount, o.b_amount) DESC, o.id
LIMIT %(limit)s;
