-- Run by the postgres image on the first start of an empty data volume.
-- The apps also create their database if it is absent; this makes both exist up front.
-- Written so that running it again by hand (psql -f) does no harm.
SELECT 'CREATE DATABASE "users"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'users')\gexec
SELECT 'CREATE DATABASE "orders"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'orders')\gexec
SELECT 'CREATE DATABASE "payments"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'payments')\gexec
