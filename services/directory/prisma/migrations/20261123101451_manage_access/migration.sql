-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prev_hash" TEXT;

-- CreateIndex
CREATE INDEX "organizations_identifier_idx" ON "organizations"("identifier");

-- CreateIndex
CREATE INDEX "organizations_kind_name_idx" ON "organizations"("kind", "name");

-- Hand-written: what Prisma's schema cannot express.
-- Organization search matches any part of the name, case-insensitively (ILIKE): trigram index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "organizations_name_trgm_idx" ON "organizations" USING GIN ("name" gin_trgm_ops);

-- Manage Access lists the pending requests of many organizations at once, oldest first.
CREATE INDEX "role_requests_pending_by_org_idx" ON "role_requests"("organization_id", "created_at") WHERE "status" = 'PENDING';
