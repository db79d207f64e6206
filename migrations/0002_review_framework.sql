CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"content_enc" text NOT NULL,
	"inherited_from_id" uuid,
	"withdrawn_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_release_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" uuid NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone NOT NULL,
	"changed_by" uuid NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"family_id" uuid NOT NULL,
	"previous_version_id" uuid,
	"lineage_model_id" uuid,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"modality" text NOT NULL,
	"planned_release_at" timestamp with time zone NOT NULL,
	"training_compute_flop" double precision NOT NULL,
	"compute_estimation_method" text NOT NULL,
	"intended_deployment_enc" text NOT NULL,
	"capability_summary_enc" text NOT NULL,
	"status" text DEFAULT 'registered' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL,
	"agency_org_id" uuid NOT NULL,
	"role" text NOT NULL,
	"assignee_user_id" uuid,
	"due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultation_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 0 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"consultation_id" uuid NOT NULL,
	"author_user_id" uuid NOT NULL,
	"internal" boolean DEFAULT false NOT NULL,
	"body_enc" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_id" uuid NOT NULL,
	"question_enc" text NOT NULL,
	"status" text NOT NULL,
	"due_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agency_consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"agency_org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"position" text NOT NULL,
	"comment_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "benchmarks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 3 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"definition_enc" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "determination_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_id" uuid NOT NULL,
	"determination_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"summary" text NOT NULL,
	"expires_at" timestamp with time zone,
	"reevaluation_triggers" text[] NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"benchmark_ref" jsonb
);
--> statement-breakpoint
CREATE TABLE "determinations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 3 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_id" uuid NOT NULL,
	"benchmark_id" uuid NOT NULL,
	"threshold_version_id" uuid NOT NULL,
	"analysis_enc" text NOT NULL,
	"compute_flop" double precision,
	"status" text NOT NULL,
	"outcome" text,
	"unclassified_summary" text,
	"expires_at" timestamp with time zone,
	"reevaluation_triggers" text[],
	"created_by" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "threshold_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 3 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"benchmark_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"thresholds_enc" text NOT NULL,
	"status" text NOT NULL,
	"proposed_by" uuid NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"adopted_by" uuid,
	"adopted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "policy_settings" (
	"version" integer PRIMARY KEY NOT NULL,
	"max_window_days" integer NOT NULL,
	"compute_trigger_flop" double precision NOT NULL,
	"reason" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_windows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_id" uuid NOT NULL,
	"status" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"policy_version" integer NOT NULL,
	"closed_at" timestamp with time zone,
	"close_reason" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_grants" ADD COLUMN "source_type" text;--> statement-breakpoint
ALTER TABLE "access_grants" ADD COLUMN "source_id" uuid;--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "model_documents_model_idx" ON "model_documents" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "models_owner_idx" ON "models" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "models_family_idx" ON "models" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "consultation_messages_case_idx" ON "consultation_messages" USING btree ("consultation_id");--> statement-breakpoint
CREATE INDEX "consultations_model_idx" ON "consultations" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "determinations_model_idx" ON "determinations" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "threshold_versions_benchmark_idx" ON "threshold_versions" USING btree ("benchmark_id");--> statement-breakpoint
CREATE INDEX "review_windows_model_idx" ON "review_windows" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "review_windows_open_idx" ON "review_windows" USING btree ("status","closes_at");--> statement-breakpoint
CREATE INDEX "access_grants_source_idx" ON "access_grants" USING btree ("source_type","source_id");