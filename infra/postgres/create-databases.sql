-- One database per service (a service never reads another's tables). Run once by the official
-- postgres image on first start (mounted into /docker-entrypoint-initdb.d).
CREATE DATABASE identity;
CREATE DATABASE license;
CREATE DATABASE seal;
CREATE DATABASE payment;
CREATE DATABASE banksim;
