CREATE TABLE "gateway_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"model_id" uuid NOT NULL,
	"base_url" text NOT NULL,
	"upstream_model" text NOT NULL,
	"api_key_enc" text NOT NULL,
	"last_test_at" timestamp with time zone,
	"last_test_ok" boolean,
	"last_test_detail" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_grant_limits" (
	"grant_id" uuid PRIMARY KEY NOT NULL,
	"model_id" uuid NOT NULL,
	"requests_per_minute" integer,
	"token_quota" bigint,
	"tokens_used" bigint DEFAULT 0 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"grant_id" uuid NOT NULL,
	"window_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_org_id" uuid NOT NULL,
	"classification" smallint DEFAULT 1 NOT NULL,
	"compartments" text[] DEFAULT '{}'::text[] NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"key_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"window_id" uuid NOT NULL,
	"model_id" uuid NOT NULL,
	"model_owner_org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"status" smallint NOT NULL,
	"latency_ms" real NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"streamed" boolean DEFAULT false NOT NULL,
	"error_code" text,
	"request_enc" text,
	"response_enc" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_endpoints_model_idx" ON "gateway_endpoints" USING btree ("model_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gateway_keys_hash_idx" ON "gateway_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "gateway_keys_model_idx" ON "gateway_keys" USING btree ("model_id");--> statement-breakpoint
CREATE INDEX "gateway_keys_grant_idx" ON "gateway_keys" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "gateway_keys_user_idx" ON "gateway_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "gateway_requests_model_at_idx" ON "gateway_requests" USING btree ("model_id","at");--> statement-breakpoint
CREATE INDEX "gateway_requests_user_at_idx" ON "gateway_requests" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "gateway_requests_key_idx" ON "gateway_requests" USING btree ("key_id");--> statement-breakpoint
CREATE INDEX "gateway_requests_owner_at_idx" ON "gateway_requests" USING btree ("owner_org_id","at");