-- Former names of villages (Royal Gazette renames), for the locator.
SELECT f.code, f.name_th FROM area_former_names f ORDER BY f.code, f.name_th;
