-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "CertificateRole" ADD VALUE 'sm2_root';
ALTER TYPE "CertificateRole" ADD VALUE 'sm2_maker';

-- AlterEnum
ALTER TYPE "KeyAlgorithm" ADD VALUE 'sm2';

-- AlterTable
ALTER TABLE "seal" ADD COLUMN     "gbt38540_seal" BYTEA;

-- An SM2 seal, once made, always has its SESeal: what gbt38540 signatures carry. (The enum value
-- is compared as text: a value added in this migration cannot be used as an enum literal in it.)
ALTER TABLE "seal" ADD CONSTRAINT "seal_sm2_made_with_seseal"
  CHECK ("key_algorithm"::text <> 'sm2' OR "certificate_id" IS NULL OR "gbt38540_seal" IS NOT NULL);
