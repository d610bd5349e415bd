using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Lake.Curation;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;
using Modernizer.Lake.Tests.Delta;
using static Modernizer.Lake.Tests.Delta.DeltaTableBuilder;

namespace Modernizer.Lake.Tests.Curation;

/// <summary>Issue item 6 (R2.2, X3 row 5): schema differences classified from the job's lineage;
/// curated rows beyond the join graph's key multiplicities flagged as potential corruption.</summary>
public sealed class RawCuratedAnalyzerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static JobLineageInput Lineage(JoinKind kind = JoinKind.Inner) => new(
        ["orders", "customers"],
        "curated",
        [new JoinEdge("orders", "customers", ["customer_id"], ["customer_id"], kind)],
        [
            new ColumnMapping("order_id", MappingKind.Direct, [new SourceColumn("orders", "order_id")]),
            new ColumnMapping("cust_id", MappingKind.Direct, [new SourceColumn("orders", "customer_id")]),
            new ColumnMapping("amount", MappingKind.Cast, [new SourceColumn("orders", "amount")]),
            new ColumnMapping("qty", MappingKind.Cast, [new SourceColumn("orders", "qty")]),
            new ColumnMapping("status", MappingKind.Direct, [new SourceColumn("orders", "status")]),
            new ColumnMapping("country", MappingKind.Direct, [new SourceColumn("customers", "country")]),
            new ColumnMapping("gross", MappingKind.Expression, [new SourceColumn("orders", "amount")], "amount * 1.2"),
        ]);

    [Fact]
    public async Task Classifies_renamed_retyped_derived_dropped_and_unexplained_columns()
    {
        var report = await AnalyzeAsync(curatedRows: 5, JoinKind.Inner);

        SchemaDifference Diff(string column) => report.Differences.Single(d => d.TargetColumn == column);
        Assert.Equal((DifferenceKind.Renamed, DifferenceVerdict.Intentional), (Diff("cust_id").Kind, Diff("cust_id").Verdict));
        Assert.Equal((DifferenceKind.Retyped, DifferenceVerdict.Intentional), (Diff("amount").Kind, Diff("amount").Verdict));
        Assert.Equal((DifferenceKind.Retyped, DifferenceVerdict.SuspectedBug), (Diff("qty").Kind, Diff("qty").Verdict));
        Assert.Contains("narrowing", Diff("qty").Reason, StringComparison.Ordinal);
        Assert.Equal((DifferenceKind.Retyped, DifferenceVerdict.SuspectedBug), (Diff("status").Kind, Diff("status").Verdict));
        Assert.Contains("no cast", Diff("status").Reason, StringComparison.Ordinal);
        Assert.Equal((DifferenceKind.Derived, DifferenceVerdict.Intentional), (Diff("gross").Kind, Diff("gross").Verdict));
        Assert.Equal((DifferenceKind.Unexplained, DifferenceVerdict.SuspectedBug), (Diff("mystery").Kind, Diff("mystery").Verdict));
        Assert.Equal((DifferenceKind.Dropped, DifferenceVerdict.Intentional), (Diff("internal_note").Kind, Diff("internal_note").Verdict));
        Assert.Equal((DifferenceKind.Dropped, DifferenceVerdict.Intentional), (Diff("name").Kind, Diff("name").Verdict));
        Assert.DoesNotContain(report.Differences, d => d.TargetColumn == "order_id");
        Assert.True(report.HasSuspectedBugs);
    }

    [Fact]
    public async Task Rows_within_the_key_multiplicities_are_explained()
    {
        var report = await AnalyzeAsync(curatedRows: 5, JoinKind.Inner);

        // customer 1: 2 orders x 2 customer rows, customer 2: 1 x 1, customer 3: no match.
        Assert.Equal(5, report.Rows.ExplainableRows);
        Assert.False(report.Rows.CorruptionSuspected);
        Assert.Null(report.Escalation(null, new StageId("profile"), RoleId.DataProfiler));
    }

    [Fact]
    public async Task Rows_beyond_the_join_graph_are_potential_corruption_and_escalate()
    {
        var report = await AnalyzeAsync(curatedRows: 6, JoinKind.Inner);

        Assert.True(report.Rows.CorruptionSuspected);
        var escalation = report.Escalation(null, new StageId("profile"), RoleId.DataProfiler);
        Assert.NotNull(escalation);
        Assert.Equal(EscalationKind.DataCorruption, escalation.Kind);
        Assert.Contains("at most 5", escalation.Summary, StringComparison.Ordinal);
        Assert.Contains(escalation.Evidence, e => e.Detail!.Contains("count(*)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_left_join_keeps_unmatched_rows_in_the_bound()
    {
        var report = await AnalyzeAsync(curatedRows: 6, JoinKind.Left);
        Assert.Equal(6, report.Rows.ExplainableRows);
        Assert.False(report.Rows.CorruptionSuspected);
    }

    private async Task<RawCuratedReport> AnalyzeAsync(int curatedRows, JoinKind kind)
    {
        var orders = _temp.Combine("orders");
        var customers = _temp.Combine("customers");
        var curated = _temp.Combine("curated");
        await using (var t = await CreateAsync(orders))
        {
            var size = await t.DataFileAsync("a.parquet", """
                SELECT * FROM (VALUES (1::BIGINT, 1::BIGINT, 10.00::DECIMAL(10,2), 5::BIGINT, 'open', 'n1'), (2, 1, 20.00, 1, 'open', 'n2'), (3, 2, 5.50, 2, 'done', NULL), (4, 3, 1.00, 1, 'done', NULL))
                AS v(order_id, customer_id, amount, qty, status, internal_note)
                """);
            t.Commit(0, Protocol(), Metadata(Schema(("order_id", "long", false, null), ("customer_id", "long", true, null), ("amount", "decimal(10,2)", true, null), ("qty", "long", true, null), ("status", "string", true, null), ("internal_note", "string", true, null))), Add("a.parquet", size));
        }

        await using (var t = await CreateAsync(customers))
        {
            var size = await t.DataFileAsync("a.parquet", "SELECT * FROM (VALUES (1::BIGINT, 'Ann', 'DE'), (1, 'Ann B', 'DE'), (2, 'Bob', 'FR')) AS v(customer_id, name, country)");
            t.Commit(0, Protocol(), Metadata(Schema(("customer_id", "long", false, null), ("name", "string", true, null), ("country", "string", true, null))), Add("a.parquet", size));
        }

        await using (var t = await CreateAsync(curated))
        {
            var size = await t.DataFileAsync("a.parquet", $"SELECT range::BIGINT AS order_id, 1::BIGINT AS cust_id, 1.00::DECIMAL(12,2) AS amount, 1::INTEGER AS qty, 0::INTEGER AS status, 'DE' AS country, 1.2::DOUBLE AS gross, 'x' AS mystery FROM range({curatedRows})");
            t.Commit(0, Protocol(), Metadata(Schema(("order_id", "long", false, null), ("cust_id", "long", true, null), ("amount", "decimal(12,2)", true, null), ("qty", "integer", true, null), ("status", "integer", true, null), ("country", "string", true, null), ("gross", "double", true, null), ("mystery", "string", true, null))), Add("a.parquet", size));
        }

        var tables = new Dictionary<string, TableSnapshot>
        {
            ["orders"] = await LakeTable.OpenAsync(orders, null, CancellationToken.None),
            ["customers"] = await LakeTable.OpenAsync(customers, null, CancellationToken.None),
            ["curated"] = await LakeTable.OpenAsync(curated, null, CancellationToken.None),
        };
        await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables([.. tables.Values]), CancellationToken.None);
        return await RawCuratedAnalyzer.AnalyzeAsync(Lineage(kind), tables, engine, CancellationToken.None);
    }

    public void Dispose() => _temp.Dispose();
}
