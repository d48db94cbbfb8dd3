-- AlterTable
ALTER TABLE "receipt" ADD COLUMN     "rendered_pdf" BYTEA;
