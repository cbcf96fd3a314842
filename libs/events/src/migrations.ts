// Tables the event plumbing needs in every service schema. Applied by the service
// kit's migrator before the service's own migrations.
export interface LibraryMigration {
  id: string;
  sql: (schema: string) => string;
}

export const eventsMigrations: LibraryMigration[] = [
  {
    id: 'events/0001_outbox_inbox',
    sql: (s) => `
      CREATE TABLE ${s}.outbox (
        seq        bigserial PRIMARY KEY,
        event_id   uuid NOT NULL UNIQUE,
        topic      text NOT NULL,
        key        text NOT NULL,
        value      text NOT NULL,
        headers    jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts   integer NOT NULL DEFAULT 0,
        last_error text
      );
      CREATE TABLE ${s}.inbox (
        consumer     text NOT NULL,
        event_id     uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      );
      CREATE INDEX inbox_processed_at ON ${s}.inbox (processed_at);
    `,
  },
];
