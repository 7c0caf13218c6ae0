-- Issue 18: access reviews. A campaign (help desk or the yearly schedule) opens one review per
-- organization; each review (workflow access-review-<id>) asks its Security Officials to keep or
-- remove every user connected when it opened.
-- (Written by hand: Prisma's WASM schema describer cannot read the CHECK constraints of earlier migrations.)
-- CreateEnum
CREATE TYPE "AccessReviewStatus" AS ENUM ('OPEN', 'COMPLETED');

-- CreateEnum
CREATE TYPE "AccessReviewDecision" AS ENUM ('KEEP', 'REMOVE');

-- CreateEnum
CREATE TYPE "AccessReviewRemovalStatus" AS ENUM ('PENDING', 'REMOVED', 'REFUSED');

-- CreateTable
CREATE TABLE "access_review_campaigns" (
    "id" UUID NOT NULL,
    "organization_id" UUID,
    "started_by_id" UUID,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "unreviewed_policy" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_review_campaigns_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "access_review_campaigns_policy_check" CHECK ("unreviewed_policy" IN ('keep', 'remove'))
);

-- CreateTable
CREATE TABLE "access_reviews" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "status" "AccessReviewStatus" NOT NULL DEFAULT 'OPEN',
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "unreviewed_policy" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "access_reviews_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "access_reviews_policy_check" CHECK ("unreviewed_policy" IN ('keep', 'remove')),
    CONSTRAINT "access_reviews_completed_check" CHECK (("status" = 'COMPLETED') = ("completed_at" IS NOT NULL))
);

-- CreateTable
CREATE TABLE "access_review_items" (
    "review_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "OrgRole" NOT NULL,
    "decision" "AccessReviewDecision",
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_policy" BOOLEAN NOT NULL DEFAULT false,
    "removal_id" UUID,
    "removal_status" "AccessReviewRemovalStatus",
    "removal_refusal" TEXT,

    CONSTRAINT "access_review_items_pkey" PRIMARY KEY ("review_id", "user_id"),
    CONSTRAINT "access_review_items_decided_check" CHECK (("decision" IS NULL) = ("decided_at" IS NULL)),
    CONSTRAINT "access_review_items_removal_check" CHECK (("removal_id" IS NULL) = ("removal_status" IS NULL) AND ("removal_id" IS NULL OR "decision" = 'REMOVE'))
);

-- CreateIndex
CREATE INDEX "access_review_campaigns_created_at_idx" ON "access_review_campaigns"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "access_reviews_campaign_id_organization_id_key" ON "access_reviews"("campaign_id", "organization_id");

-- CreateIndex
CREATE INDEX "access_reviews_organization_id_status_idx" ON "access_reviews"("organization_id", "status");

-- CreateIndex
CREATE INDEX "access_reviews_campaign_id_id_idx" ON "access_reviews"("campaign_id", "id");

-- One OPEN review per organization, even for two campaigns started at the same instant.
CREATE UNIQUE INDEX "access_reviews_one_open_per_org" ON "access_reviews"("organization_id") WHERE "status" = 'OPEN';

-- A removal is named once.
CREATE UNIQUE INDEX "access_review_items_removal_id_key" ON "access_review_items"("removal_id");

-- AddForeignKey
ALTER TABLE "access_review_campaigns" ADD CONSTRAINT "access_review_campaigns_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_review_campaigns" ADD CONSTRAINT "access_review_campaigns_started_by_id_fkey" FOREIGN KEY ("started_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "access_review_campaigns"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_review_id_fkey" FOREIGN KEY ("review_id") REFERENCES "access_reviews"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
