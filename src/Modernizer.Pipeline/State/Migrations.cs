namespace Modernizer.Pipeline.State;

/// <summary>The versioned schema. A migration is applied once, in a transaction, and recorded in
/// <c>schema_migrations</c>; the list only grows (never edit a released migration).</summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "jobs, stage runs, stage history, decisions, chain head, escalations",
            Sqlite:
            [
                """
                CREATE TABLE jobs (
                  job_key TEXT PRIMARY KEY,
                  position INTEGER NOT NULL,
                  selected INTEGER NOT NULL,
                  state TEXT NOT NULL,
                  stage TEXT NULL,
                  message TEXT NULL,
                  lease_owner TEXT NULL,
                  lease_expires INTEGER NULL,
                  updated_at TEXT NULL)
                """,
                """
                CREATE TABLE stage_runs (
                  job_key TEXT NOT NULL,
                  stage TEXT NOT NULL,
                  status TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  attempts INTEGER NOT NULL,
                  message TEXT NULL,
                  artifacts TEXT NOT NULL,
                  finished_at TEXT NOT NULL,
                  PRIMARY KEY (job_key, stage))
                """,
                """
                CREATE TABLE stage_history (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  job_key TEXT NOT NULL,
                  stage TEXT NOT NULL,
                  status TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  owner TEXT NOT NULL,
                  finished_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE decisions (
                  seq INTEGER PRIMARY KEY,
                  time TEXT NOT NULL,
                  job_id TEXT NULL,
                  stage TEXT NOT NULL,
                  role TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  outcome TEXT NOT NULL,
                  confidence REAL NOT NULL,
                  rule TEXT NOT NULL,
                  rationale TEXT NOT NULL,
                  alternatives TEXT NOT NULL,
                  evidence TEXT NOT NULL,
                  tokens INTEGER NOT NULL,
                  cost_usd TEXT NOT NULL,
                  instructions_hash TEXT NULL,
                  prev_hash TEXT NOT NULL,
                  hash TEXT NOT NULL)
                """,
                "CREATE INDEX decisions_job ON decisions (job_id)",
                "CREATE TABLE chain_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)",
                "INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
                """
                CREATE TABLE escalations (
                  id TEXT PRIMARY KEY,
                  job_id TEXT NULL,
                  stage TEXT NOT NULL,
                  role TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  summary TEXT NOT NULL,
                  evidence TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  status TEXT NOT NULL,
                  opened_at TEXT NOT NULL,
                  closed_at TEXT NULL,
                  closed_by TEXT NULL,
                  reason TEXT NULL)
                """,
            ],
            Postgres:
            [
                """
                CREATE TABLE jobs (
                  job_key TEXT PRIMARY KEY,
                  position BIGINT NOT NULL,
                  selected INTEGER NOT NULL,
                  state TEXT NOT NULL,
                  stage TEXT NULL,
                  message TEXT NULL,
                  lease_owner TEXT NULL,
                  lease_expires BIGINT NULL,
                  updated_at TEXT NULL)
                """,
                """
                CREATE TABLE stage_runs (
                  job_key TEXT NOT NULL,
                  stage TEXT NOT NULL,
                  status TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  attempts INTEGER NOT NULL,
                  message TEXT NULL,
                  artifacts TEXT NOT NULL,
                  finished_at TEXT NOT NULL,
                  PRIMARY KEY (job_key, stage))
                """,
                """
                CREATE TABLE stage_history (
                  id BIGSERIAL PRIMARY KEY,
                  job_key TEXT NOT NULL,
                  stage TEXT NOT NULL,
                  status TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  owner TEXT NOT NULL,
                  finished_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE decisions (
                  seq BIGINT PRIMARY KEY,
                  time TEXT NOT NULL,
                  job_id TEXT NULL,
                  stage TEXT NOT NULL,
                  role TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  outcome TEXT NOT NULL,
                  confidence DOUBLE PRECISION NOT NULL,
                  rule TEXT NOT NULL,
                  rationale TEXT NOT NULL,
                  alternatives TEXT NOT NULL,
                  evidence TEXT NOT NULL,
                  tokens BIGINT NOT NULL,
                  cost_usd TEXT NOT NULL,
                  instructions_hash TEXT NULL,
                  prev_hash TEXT NOT NULL,
                  hash TEXT NOT NULL)
                """,
                "CREATE INDEX decisions_job ON decisions (job_id)",
                "CREATE TABLE chain_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
                "INSERT INTO chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
                """
                CREATE TABLE escalations (
                  id TEXT PRIMARY KEY,
                  job_id TEXT NULL,
                  stage TEXT NOT NULL,
                  role TEXT NOT NULL,
                  kind TEXT NOT NULL,
                  summary TEXT NOT NULL,
                  evidence TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  status TEXT NOT NULL,
                  opened_at TEXT NOT NULL,
                  closed_at TEXT NULL,
                  closed_by TEXT NULL,
                  reason TEXT NULL)
                """,
            ]),

        // A row per stage start that its process has not finished (committed, failed or given up on a
        // cancellation): what a process that died in a stage leaves behind (budgets.crashes_per_stage).
        new(2, "stage starts",
            Sqlite:
            [
                """
                CREATE TABLE stage_starts (
                  id INTEGER PRIMARY KEY AUTOINCREMENT,
                  job_key TEXT NOT NULL,
                  stage TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  owner TEXT NOT NULL,
                  started_at TEXT NOT NULL)
                """,
                "CREATE INDEX stage_starts_job ON stage_starts (job_key, stage)",
            ],
            Postgres:
            [
                """
                CREATE TABLE stage_starts (
                  id BIGSERIAL PRIMARY KEY,
                  job_key TEXT NOT NULL,
                  stage TEXT NOT NULL,
                  input_hash TEXT NOT NULL,
                  owner TEXT NOT NULL,
                  started_at TEXT NOT NULL)
                """,
                "CREATE INDEX stage_starts_job ON stage_starts (job_key, stage)",
            ]),
    ];

    public static int Latest => All[^1].Version;
}

internal sealed record Migration(int Version, string Name, IReadOnlyList<string> Sqlite, IReadOnlyList<string> Postgres);
