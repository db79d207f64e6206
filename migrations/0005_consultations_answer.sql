ALTER TABLE "consultation_assignments" ADD COLUMN "added_by" uuid;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "recommendation" text;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "answered_by" uuid;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "consultations" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "consultation_assignments_case_agency_idx" ON "consultation_assignments" USING btree ("consultation_id","agency_org_id");