// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
export {};
