CREATE TABLE "finding_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"finding_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content_enc" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finding_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"finding_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_user_id" uuid,
	"actor_org_id" uuid,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"note_enc" text,
	"internal" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_id" uuid NOT NULL,
	"window_id" uuid NOT NULL,
	"model_owner_org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary_enc" text NOT NULL,
	"cvss_version" text,
	"cvss_vector" text,
	"cvss_score" real,
	"rating" text NOT NULL,
	"cwe" text,
	"products" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"transcript_ids" uuid[] DEFAULT '{}' NOT NULL,
	"status" text NOT NULL,
	"due_days_before_release" integer NOT NULL,
	"duplicate_of_id" uuid,
	"developer_response" text,
	"responded_at" timestamp with time zone,
	"verification" text,
	"verified_at" timestamp with time zone,
	"handoff_state" text,
	"handoff_reason" text,
	"handoff_attempts" integer DEFAULT 0 NOT NULL,
	"handoff_at" timestamp with time zone,
	"clearinghouse_report_id" uuid,
	"created_by" uuid NOT NULL,
	"filed_at" timestamp with time zone,
	"shared_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_assignees" (
	"workstream_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"assigned_by" uuid NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_assignees_workstream_id_org_id_pk" PRIMARY KEY("workstream_id","org_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_workstreams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"window_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description_enc" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"status_reason" text,
	"due_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "finding_evidence_finding_idx" ON "finding_evidence" USING btree ("finding_id");--> statement-breakpoint
CREATE INDEX "finding_history_finding_idx" ON "finding_history" USING btree ("finding_id","at");--> statement-breakpoint
CREATE INDEX "findings_model_idx" ON "findings" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "findings_owner_idx" ON "findings" USING btree ("owner_org_id");--> statement-breakpoint
CREATE INDEX "findings_handoff_idx" ON "findings" USING btree ("handoff_state");--> statement-breakpoint
CREATE INDEX "assessment_assignees_org_idx" ON "assessment_assignees" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "assessment_workstreams_window_idx" ON "assessment_workstreams" USING btree ("window_id");