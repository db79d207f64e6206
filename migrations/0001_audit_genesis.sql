-- The chain starts from a fixed genesis head, so the first two concurrent writers cannot both
-- believe they are first.
INSERT INTO "audit_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000') ON CONFLICT DO NOTHING;
