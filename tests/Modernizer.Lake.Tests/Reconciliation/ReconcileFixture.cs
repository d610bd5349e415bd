using System.Collections.Immutable;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Lake.Tests.Reconciliation;

/// <summary>A temp folder and an embedded DuckDB engine; tables are written by DuckDB SQL.</summary>
internal sealed class ReconcileFixture : IAsyncDisposable
{
    private ReconcileFixture(string root, DuckDbEngine engine)
    {
        Root = root;
        Engine = engine;
    }

    public string Root { get; }

    public DuckDbEngine Engine { get; }

    public static async Task<ReconcileFixture> CreateAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "rc-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new ReconcileFixture(root, await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(root), CancellationToken.None));
    }

    /// <summary>Writes the rows of <paramref name="select"/> as Parquet (a folder with one file).</summary>
    public async Task<string> ParquetAsync(string name, string select)
    {
        var dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        await Engine.ExecuteAsync($"COPY ({select}) TO $p (FORMAT parquet)", [new QueryParameter("p", Path.Combine(dir, "part-0.parquet"))], CancellationToken.None);
        return dir;
    }

    public async Task<string> CsvAsync(string name, string select)
    {
        var file = Path.Combine(Root, name + ".csv");
        await Engine.ExecuteAsync($"COPY ({select}) TO $p (FORMAT csv, HEADER true)", [new QueryParameter("p", file)], CancellationToken.None);
        return file;
    }

    public Task<ReconciliationVerdict> ReconcileAsync(string baseline, string candidate, params string[] key) =>
        ReconcileAsync(baseline, candidate, ReconcileOptions.Default, key);

    public Task<ReconciliationVerdict> ReconcileAsync(string baseline, string candidate, ReconcileOptions options, params string[] key) =>
        new Reconciler(Engine).ReconcileAsync(new ReconcileRequest(new TableRef(baseline), new TableRef(candidate), [.. key], options), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}

internal static class VerdictAssert
{
    public static ColumnResult Column(this ReconciliationVerdict verdict, string name) => verdict.Columns.Single(c => c.Name == name);

    public static void Counts(ReconciliationVerdict v, long matched, long changed, long missing, long extra, long duplicates)
    {
        Assert.True(v.Error is null, v.Error);
        Assert.Equal(
            (matched, changed, missing, extra, duplicates),
            (v.Rows.Matched!.Value, v.Rows.Changed!.Value, v.Rows.MissingInCandidate!.Value, v.Rows.ExtraInCandidate!.Value, v.Rows.DuplicateKeys!.Value));
        Assert.Equal(v.Rows.Baseline, v.Rows.Matched + v.Rows.Changed + v.Rows.MissingInCandidate + v.Rows.DuplicateKeysBaseline);
        Assert.Equal(v.Rows.Candidate, v.Rows.Matched + v.Rows.Changed + v.Rows.ExtraInCandidate + v.Rows.DuplicateKeysCandidate);
    }

    public static ImmutableArray<SampleRow> Of(this ImmutableArray<SampleRow> samples, string cls) => [.. samples.Where(s => s.Class == cls)];
}
