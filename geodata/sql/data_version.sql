-- The data version (migration 0023's view: how many import runs have loaded data).
SELECT version FROM data_version;
