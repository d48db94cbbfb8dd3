-- CreateEnum
CREATE TYPE "HolderKind" AS ENUM ('person', 'organization', 'any');

-- CreateEnum
CREATE TYPE "LicenseStatus" AS ENUM ('active', 'suspended', 'revoked', 'replaced');

-- AlterTable
ALTER TABLE "license_type" ADD COLUMN     "created_by" VARCHAR(200) NOT NULL DEFAULT 'seed',
ADD COLUMN     "holder_kind" "HolderKind" NOT NULL DEFAULT 'any',
ADD COLUMN     "issuing_authority_code" VARCHAR(18) NOT NULL,
ADD COLUMN     "layout" JSONB NOT NULL,
ADD COLUMN     "retired_at" TIMESTAMPTZ(3),
ADD COLUMN     "retired_reason" VARCHAR(500),
ADD COLUMN     "validity" JSONB NOT NULL;

-- CreateTable
CREATE TABLE "issuer_key" (
    "kid" VARCHAR(100) NOT NULL,
    "issuer_code" VARCHAR(18) NOT NULL,
    "generation" INTEGER NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_key_sealed" TEXT NOT NULL,
    "kek_id" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "issuer_key_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "license" (
    "id" UUID NOT NULL,
    "identifier" VARCHAR(200) NOT NULL,
    "type_id" UUID NOT NULL,
    "type_code" VARCHAR(21) NOT NULL,
    "issuer_code" VARCHAR(18) NOT NULL,
    "issuer_name" VARCHAR(200) NOT NULL,
    "serial" VARCHAR(64) NOT NULL,
    "version" INTEGER NOT NULL,
    "holder_code" VARCHAR(18) NOT NULL,
    "holder_code_type" VARCHAR(3) NOT NULL,
    "holder_name" VARCHAR(200) NOT NULL,
    "fields" JSONB NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3),
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "issued_by" VARCHAR(200) NOT NULL,
    "status" "LicenseStatus" NOT NULL DEFAULT 'active',
    "status_reason" VARCHAR(500),
    "status_index" INTEGER NOT NULL,
    "credential" TEXT NOT NULL,
    "case_id" VARCHAR(100),
    "request_hash" VARCHAR(64) NOT NULL,
    "replaces_id" UUID,

    CONSTRAINT "license_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "license_event" (
    "id" BIGSERIAL NOT NULL,
    "license_id" UUID NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "from_status" VARCHAR(20),
    "to_status" VARCHAR(20) NOT NULL,
    "actor" VARCHAR(200) NOT NULL,
    "actor_client" VARCHAR(200),
    "reason" VARCHAR(500),
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "license_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "serial_counter" (
    "issuer_code" VARCHAR(18) NOT NULL,
    "type_code" VARCHAR(21) NOT NULL,
    "year" INTEGER NOT NULL,
    "next" INTEGER NOT NULL,

    CONSTRAINT "serial_counter_pkey" PRIMARY KEY ("issuer_code","type_code","year")
);

-- CreateTable
CREATE TABLE "status_counter" (
    "issuer_code" VARCHAR(18) NOT NULL,
    "next" INTEGER NOT NULL,

    CONSTRAINT "status_counter_pkey" PRIMARY KEY ("issuer_code")
);

-- CreateTable
CREATE TABLE "status_list" (
    "issuer_code" VARCHAR(18) NOT NULL,
    "purpose" VARCHAR(20) NOT NULL,
    "list_number" INTEGER NOT NULL,
    "bits" BYTEA NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "signed_jwt" TEXT,
    "signed_revision" INTEGER,
    "signed_at" TIMESTAMPTZ(3),

    CONSTRAINT "status_list_pkey" PRIMARY KEY ("issuer_code","purpose","list_number")
);

-- CreateTable
CREATE TABLE "presentation" (
    "id" UUID NOT NULL,
    "license_id" UUID NOT NULL,
    "holder_code" VARCHAR(18) NOT NULL,
    "fields" TEXT[],
    "nonce" VARCHAR(200),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "used_by" VARCHAR(200),

    CONSTRAINT "presentation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "use_grant" (
    "id" UUID NOT NULL,
    "license_id" UUID NOT NULL,
    "holder_code" VARCHAR(18) NOT NULL,
    "grantee_id" VARCHAR(200) NOT NULL,
    "grantee_name" VARCHAR(200) NOT NULL,
    "purpose" VARCHAR(500) NOT NULL,
    "fields" TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" VARCHAR(200) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "use_grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_entry" (
    "id" BIGSERIAL NOT NULL,
    "holder_code" VARCHAR(18) NOT NULL,
    "seq" INTEGER NOT NULL,
    "license_id" UUID,
    "action" VARCHAR(40) NOT NULL,
    "actor" VARCHAR(200) NOT NULL,
    "purpose" VARCHAR(500),
    "detail" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "prev_hash" VARCHAR(64) NOT NULL,
    "hash" VARCHAR(64) NOT NULL,

    CONSTRAINT "usage_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "issuer_key_issuer_code_generation_key" ON "issuer_key"("issuer_code", "generation");

-- CreateIndex
CREATE UNIQUE INDEX "license_identifier_key" ON "license"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "license_case_id_key" ON "license"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "license_replaces_id_key" ON "license"("replaces_id");

-- CreateIndex
CREATE INDEX "license_holder_code_idx" ON "license"("holder_code");

-- CreateIndex
CREATE UNIQUE INDEX "license_issuer_code_type_code_serial_version_key" ON "license"("issuer_code", "type_code", "serial", "version");

-- CreateIndex
CREATE UNIQUE INDEX "license_issuer_code_status_index_key" ON "license"("issuer_code", "status_index");

-- CreateIndex
CREATE INDEX "license_event_license_id_idx" ON "license_event"("license_id");

-- CreateIndex
CREATE INDEX "use_grant_holder_code_idx" ON "use_grant"("holder_code");

-- CreateIndex
CREATE INDEX "use_grant_grantee_id_idx" ON "use_grant"("grantee_id");

-- CreateIndex
CREATE UNIQUE INDEX "usage_entry_holder_code_seq_key" ON "usage_entry"("holder_code", "seq");

-- AddForeignKey
ALTER TABLE "license" ADD CONSTRAINT "license_type_id_fkey" FOREIGN KEY ("type_id") REFERENCES "license_type"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "license" ADD CONSTRAINT "license_replaces_id_fkey" FOREIGN KEY ("replaces_id") REFERENCES "license"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "license_event" ADD CONSTRAINT "license_event_license_id_fkey" FOREIGN KEY ("license_id") REFERENCES "license"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "use_grant" ADD CONSTRAINT "use_grant_license_id_fkey" FOREIGN KEY ("license_id") REFERENCES "license"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
