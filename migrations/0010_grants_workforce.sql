CREATE TABLE "catalogue_services" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL,
	"description" text NOT NULL,
	"sectors" text[] NOT NULL,
	"tiers" text[] NOT NULL,
	"cost_to_operator" text NOT NULL,
	"how_to_enrol" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"status" text NOT NULL,
	"project_title" text NOT NULL,
	"declared_employees" integer,
	"sections_enc" text,
	"budget" jsonb,
	"budget_total_usd" bigint,
	"attestations" jsonb NOT NULL,
	"eligibility_check" jsonb,
	"submitted_at" timestamp with time zone,
	"decision_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content_enc" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_award_tools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"sarif_driver_name" text NOT NULL,
	"registered_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_awards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"application_id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"recipient_org_id" uuid NOT NULL,
	"amount_usd" bigint NOT NULL,
	"status" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closeout_note" text
);
--> statement-breakpoint
CREATE TABLE "grant_milestones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" text NOT NULL,
	"deliverables" text NOT NULL,
	"amount_usd" bigint NOT NULL,
	"status" text NOT NULL,
	"accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_opportunities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"number" text NOT NULL,
	"title" text NOT NULL,
	"program" text NOT NULL,
	"summary" text NOT NULL,
	"eligibility" jsonb NOT NULL,
	"floor_usd" bigint NOT NULL,
	"ceiling_usd" bigint NOT NULL,
	"total_funding_usd" bigint NOT NULL,
	"expected_awards" integer NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"required_sections" jsonb NOT NULL,
	"rubric" jsonb NOT NULL,
	"budget_years" integer NOT NULL,
	"status" text NOT NULL,
	"created_by" uuid NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"milestone_id" uuid NOT NULL,
	"amount_usd" bigint NOT NULL,
	"reference" text NOT NULL,
	"paid_by" uuid NOT NULL,
	"paid_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_progress_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"award_id" uuid NOT NULL,
	"milestone_id" uuid,
	"period" text NOT NULL,
	"narrative_enc" text NOT NULL,
	"submitted_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_review_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"opportunity_id" uuid NOT NULL,
	"reviewer_user_id" uuid NOT NULL,
	"reviewer_org_id" uuid NOT NULL,
	"status" text NOT NULL,
	"conflict_note" text,
	"declared_at" timestamp with time zone,
	"scored_at" timestamp with time zone,
	"assigned_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grant_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"criterion_key" text NOT NULL,
	"score" integer NOT NULL,
	"comment_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_enrolments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"service_id" uuid NOT NULL,
	"sector" text NOT NULL,
	"tier" text NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"decision_note" text,
	"requested_by" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candidate_profiles" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"headline" text NOT NULL,
	"skills" text[] NOT NULL,
	"certifications" text[] NOT NULL,
	"clearance_held" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_application_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"internal_note_enc" text,
	"moved_by" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"posting_id" uuid NOT NULL,
	"candidate_user_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"profile_snapshot" text NOT NULL,
	"resume_filename" text NOT NULL,
	"resume_content_type" text NOT NULL,
	"resume_size_bytes" integer NOT NULL,
	"resume_sha256" text NOT NULL,
	"resume_enc" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stage_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"onboarded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "job_postings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"announcement_number" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"duties" text NOT NULL,
	"hiring_path" text NOT NULL,
	"pay_plan" text NOT NULL,
	"pay_min_usd" integer NOT NULL,
	"pay_max_usd" integer NOT NULL,
	"location" text NOT NULL,
	"workplace" text NOT NULL,
	"clearance_required" text NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"created_by" uuid NOT NULL,
	"opened_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "grant_applications_opportunity_idx" ON "grant_applications" USING btree ("opportunity_id");--> statement-breakpoint
CREATE INDEX "grant_applications_owner_idx" ON "grant_applications" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "grant_attachments_application_idx" ON "grant_attachments" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_award_tools_driver_key" ON "grant_award_tools" USING btree ("sarif_driver_name");--> statement-breakpoint
CREATE INDEX "grant_award_tools_award_idx" ON "grant_award_tools" USING btree ("award_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_awards_application_key" ON "grant_awards" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "grant_awards_opportunity_idx" ON "grant_awards" USING btree ("opportunity_id");--> statement-breakpoint
CREATE INDEX "grant_milestones_award_idx" ON "grant_milestones" USING btree ("award_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_opportunities_number_key" ON "grant_opportunities" USING btree ("number");--> statement-breakpoint
CREATE INDEX "grant_payments_award_idx" ON "grant_payments" USING btree ("award_id");--> statement-breakpoint
CREATE INDEX "grant_progress_reports_award_idx" ON "grant_progress_reports" USING btree ("award_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_review_assignments_key" ON "grant_review_assignments" USING btree ("application_id","reviewer_user_id");--> statement-breakpoint
CREATE INDEX "grant_review_assignments_opportunity_idx" ON "grant_review_assignments" USING btree ("opportunity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grant_scores_key" ON "grant_scores" USING btree ("assignment_id","criterion_key");--> statement-breakpoint
CREATE INDEX "service_enrolments_service_idx" ON "service_enrolments" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "service_enrolments_owner_idx" ON "service_enrolments" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "job_application_events_application_idx" ON "job_application_events" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "job_applications_key" ON "job_applications" USING btree ("posting_id","candidate_user_id");--> statement-breakpoint
CREATE INDEX "job_applications_owner_idx" ON "job_applications" USING btree ("owner_org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "job_postings_announcement_key" ON "job_postings" USING btree ("announcement_number");