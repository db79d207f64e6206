CREATE TABLE "panel_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"panel_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"side" text NOT NULL,
	"conflicted" boolean,
	"conflict_note" text,
	"declared_at" timestamp with time zone,
	"vote" text,
	"rationale" text,
	"cited_criteria" text[],
	"voted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "partner_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"criteria_version" integer NOT NULL,
	"status" text NOT NULL,
	"answers_enc" text NOT NULL,
	"declarations_enc" text NOT NULL,
	"renewal_of" uuid,
	"eligible_until" timestamp with time zone,
	"outcome_reasons" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"submitted_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_criteria_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"criteria" jsonb NOT NULL,
	"note" text NOT NULL,
	"published_by" uuid NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"application_id" uuid NOT NULL,
	"criterion_key" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partner_vetting_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"criterion_key" text NOT NULL,
	"met" boolean NOT NULL,
	"note" text NOT NULL,
	"internal_note" text,
	"reviewer_id" uuid NOT NULL,
	"reviewer_org_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "selection_panels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"kind" text NOT NULL,
	"model_id" uuid NOT NULL,
	"window_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"applicant_org_id" uuid NOT NULL,
	"appeal_of" uuid,
	"appeal_grounds" text,
	"rule" jsonb NOT NULL,
	"status" text NOT NULL,
	"reasons" text,
	"eligible_at_decision" boolean,
	"unmet_criteria" text[],
	"grant_id" uuid,
	"decided_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "panel_members_key" ON "panel_members" USING btree ("panel_id","user_id");--> statement-breakpoint
CREATE INDEX "panel_members_user_idx" ON "panel_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "partner_applications_owner_idx" ON "partner_applications" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "partner_evidence_application_idx" ON "partner_evidence" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_vetting_findings_key" ON "partner_vetting_findings" USING btree ("application_id","criterion_key");--> statement-breakpoint
CREATE INDEX "selection_panels_application_idx" ON "selection_panels" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "selection_panels_appeal_of_key" ON "selection_panels" USING btree ("appeal_of");