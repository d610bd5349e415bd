using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Lake.Delta.Writing;

namespace Modernizer.Samples.Generation;

/// <summary>Writes lake/raw/&lt;table&gt; as Delta tables from sql/raw_lake.sql. Table histories:
/// raw.orders has three versions (load, a late batch, a rewrite of that batch that removes its
/// file) and a checkpoint; raw.customers has two (an append of profile updates); raw.web_events
/// is partitioned by event_date.</summary>
internal static class RawLakeWriter
{
    public static readonly DateTimeOffset LoadTime = new(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);

    private static readonly (string Table, string Sql, string? Partition)[] SingleVersionTables =
    [
        ("stores", "SELECT * FROM raw_stores", null),
        ("products", "SELECT * FROM raw_products", null),
        ("fx_rates", "SELECT * FROM raw_fx_rates", null),
        ("order_lines", "SELECT * FROM raw_order_lines", null),
        ("payments", "SELECT * FROM raw_payments", null),
        ("inventory_snapshots", "SELECT * FROM raw_inventory_snapshots", null),
        ("web_events", "SELECT * FROM raw_web_events", "event_date"),
    ];

    public static int StepCount => 5 + SingleVersionTables.Length + 2;

    public static string TableFolder(string workspace, string table) => Path.Combine(workspace, "lake", "raw", table);

    /// <summary>Returns the raw tables written, by name (<c>raw.orders</c> → folder).</summary>
    public static async Task<ImmutableSortedDictionary<string, string>> WriteAsync(
        SampleDb db, string workspace, SampleOptions options, Action<string> report, CancellationToken cancellationToken)
    {
        var script = SqlScript.Load("raw_lake", new Dictionary<string, string>
        {
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["scale"] = options.Scale.ToString(CultureInfo.InvariantCulture),
        });
        foreach (var step in script.Steps)
        {
            await db.ExecuteStepAsync(script.Name, step, cancellationToken);
            report(step.Name);
        }

        var writer = new DeltaTableWriter(db.Connection);
        var tables = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (table, sql, partition) in SingleVersionTables)
        {
            var folder = TableFolder(workspace, table);
            var commit = new DeltaCommitOptions("raw." + table, LoadTime.AddMinutes(index++))
            {
                PartitionColumns = partition is null ? [] : [partition],
            };
            await writer.WriteAsync(folder, sql, DeltaWriteMode.Create, commit, cancellationToken);
            tables["raw." + table] = folder;
            report(table);
        }

        tables["raw.customers"] = await WriteCustomersAsync(writer, workspace, cancellationToken);
        report("customers");
        tables["raw.orders"] = await WriteOrdersAsync(writer, workspace, cancellationToken);
        report("orders");
        return tables.ToImmutable();
    }

    private static async Task<string> WriteCustomersAsync(DeltaTableWriter writer, string workspace, CancellationToken cancellationToken)
    {
        var folder = TableFolder(workspace, "customers");
        await writer.WriteAsync(folder, "SELECT * FROM raw_customers WHERE updated_at < TIMESTAMPTZ '2026-10-15 00:00:00+00'",
            DeltaWriteMode.Create, new DeltaCommitOptions("raw.customers", LoadTime.AddDays(-17)), cancellationToken);
        await writer.WriteAsync(folder, "SELECT * FROM raw_customers WHERE updated_at >= TIMESTAMPTZ '2026-10-15 00:00:00+00'",
            DeltaWriteMode.Append, new DeltaCommitOptions("raw.customers", LoadTime.AddMinutes(30)), cancellationToken);
        return folder;
    }

    private static async Task<string> WriteOrdersAsync(DeltaTableWriter writer, string workspace, CancellationToken cancellationToken)
    {
        const string Columns = "order_id, customer_id, store_id, order_ts, order_date, {0} AS status, currency, channel, total_amount, ingested_at";
        const string Cutoff = "TIMESTAMPTZ '2026-11-01 00:00:00+00'";
        var folder = TableFolder(workspace, "orders");
        var onTime = string.Format(CultureInfo.InvariantCulture, Columns, "status");
        await writer.WriteAsync(folder, $"SELECT {onTime} FROM order_versions WHERE ingested_at < {Cutoff} ORDER BY ingested_at, order_id",
            DeltaWriteMode.Create, new DeltaCommitOptions("raw.orders", LoadTime.AddMinutes(40)), cancellationToken);

        // the late batch first arrived with lower-case statuses from a new feed version ...
        var late = await writer.WriteAsync(folder,
            $"SELECT {string.Format(CultureInfo.InvariantCulture, Columns, "lower(status)")} FROM order_versions WHERE ingested_at >= {Cutoff} ORDER BY ingested_at, order_id",
            DeltaWriteMode.Append, new DeltaCommitOptions("raw.orders", LoadTime.AddHours(2)), cancellationToken);

        // ... and was rewritten the same morning: its file removed, the corrected rows added
        var lateFiles = late.Added.Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        await writer.ReplaceAsync(folder, f => lateFiles.Contains(f.Path),
            $"SELECT {onTime} FROM order_versions WHERE ingested_at >= {Cutoff} ORDER BY ingested_at, order_id",
            new DeltaCommitOptions("raw.orders", LoadTime.AddHours(3))
            {
                OperationParameters = ImmutableDictionary<string, string>.Empty
                    .Add("mode", "Overwrite")
                    .Add("predicate", "[\"(ingested_at >= '2026-11-01')\"]"),
            },
            cancellationToken);
        await writer.WriteCheckpointAsync(folder, cancellationToken);
        return folder;
    }
}
