-- Issue 18: nominating a backup Security Official. Each nomination is recorded by its workflow
-- (nomination-<id>); accepted, it grants the role as approved by the nominator.
-- CreateEnum
CREATE TYPE "NominationStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED');

-- CreateTable
CREATE TABLE "nominations" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "nominee_id" UUID NOT NULL,
    "nominated_by_id" UUID NOT NULL,
    "message" TEXT,
    "status" "NominationStatus" NOT NULL DEFAULT 'PENDING',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "responded_at" TIMESTAMPTZ(3),

    CONSTRAINT "nominations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "nominations_not_self_check" CHECK ("nominee_id" <> "nominated_by_id"),
    CONSTRAINT "nominations_responded_check" CHECK (("status" = 'PENDING') = ("responded_at" IS NULL))
);

-- CreateIndex
CREATE INDEX "nominations_nominee_id_status_idx" ON "nominations"("nominee_id", "status");

-- CreateIndex
CREATE INDEX "nominations_organization_id_status_idx" ON "nominations"("organization_id", "status");

-- One PENDING nomination per nominee and organization, even for two nominations at the same instant.
CREATE UNIQUE INDEX "nominations_one_pending_per_org" ON "nominations"("nominee_id", "organization_id") WHERE "status" = 'PENDING';

-- AddForeignKey
ALTER TABLE "nominations" ADD CONSTRAINT "nominations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "nominations" ADD CONSTRAINT "nominations_nominee_id_fkey" FOREIGN KEY ("nominee_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "nominations" ADD CONSTRAINT "nominations_nominated_by_id_fkey" FOREIGN KEY ("nominated_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
