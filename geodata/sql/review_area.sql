-- The areas of the plan items a suggestion links an allocation to (to check the officer's scope).
SELECT DISTINCT item_area FROM match_review
WHERE allocation_key = %(allocation_key)s AND item_key = %(item_key)s;
