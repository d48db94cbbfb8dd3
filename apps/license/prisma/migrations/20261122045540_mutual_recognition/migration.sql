-- CreateTable
CREATE TABLE "trusted_node" (
    "issuer_id" VARCHAR(500) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "region" VARCHAR(100) NOT NULL,
    "jwks_url" VARCHAR(500) NOT NULL,
    "status_list_prefix" VARCHAR(500) NOT NULL,
    "added_by" VARCHAR(200) NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL,
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "trusted_node_pkey" PRIMARY KEY ("issuer_id")
);

-- CreateTable
CREATE TABLE "type_code_mapping" (
    "foreign_type_code" VARCHAR(21) NOT NULL,
    "local_type_code" VARCHAR(21) NOT NULL,
    "added_by" VARCHAR(200) NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "type_code_mapping_pkey" PRIMARY KEY ("foreign_type_code")
);

-- CreateTable
CREATE TABLE "trust_event" (
    "id" BIGSERIAL NOT NULL,
    "action" VARCHAR(40) NOT NULL,
    "target" VARCHAR(500) NOT NULL,
    "actor" VARCHAR(200) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "detail" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "trust_event_pkey" PRIMARY KEY ("id")
);
