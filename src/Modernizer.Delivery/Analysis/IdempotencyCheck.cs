using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Delivery.Rewrites;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;

namespace Modernizer.Delivery.Analysis;

/// <summary>Idempotency (R4.1, checked by R4.2): each target's DuckDB rendering runs twice in the
/// sandboxed DuckDB engine on the same inputs (the Delta versions the parallel run read). The first run
/// starts from the target's pre-run state; the second starts from what the first produced, as a rerun
/// of the job in production would. Both runs must leave the same rows (multiset, compared in SQL).</summary>
public sealed class IdempotencyCheck(WorkspacePaths workspace, LakeSettings lake)
{
    public const string Tool = "modernizer-idempotency";

    public async Task<(ImmutableArray<Finding> Findings, ToolRun Run)> RunAsync(RewriteManifest rewrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        if (rewrite.Targets.IsEmpty)
        {
            return ([], new ToolRun(Tool, "failed", null, "rewrite.json names no targets[]: nothing to run"));
        }

        var snapshots = new Dictionary<string, TableSnapshot>(StringComparer.OrdinalIgnoreCase);
        foreach (var input in rewrite.Inputs)
        {
            var path = LakeTables.Find(workspace, lake, input.Table);
            if (path is null)
            {
                return ([], new ToolRun(Tool, "failed", null, $"the input {input.Table} is not in the workspace lake ({lake.Root}/)"));
            }

            snapshots[input.Table] = await LakeTable.OpenAsync(path, input.Version is { } v ? TableVersionSpec.AtVersion(v) : null, cancellationToken).ConfigureAwait(false);
        }

        var findings = ImmutableArray.CreateBuilder<Finding>();
        var details = new List<string>();
        foreach (var target in rewrite.Targets)
        {
            var file = rewrite.DuckDbFileFor(target);
            if (!File.Exists(file))
            {
                findings.Add(new Finding(Tool, "IDEM00", Severity.Error, Path.GetFileName(file), null, $"the DuckDB rendering of {target.Table} is missing"));
                continue;
            }

            var statements = Split(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            await using var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForTables([.. snapshots.Values]), cancellationToken).ConfigureAwait(false);
            try
            {
                await LoadInputsAsync(engine, snapshots, target, cancellationToken).ConfigureAwait(false);
                await RunOnceAsync(engine, statements, "__modernize_run1", cancellationToken).ConfigureAwait(false);
                await ReplaceTargetAsync(engine, target.Table, "__modernize_run1", cancellationToken).ConfigureAwait(false);
                await RunOnceAsync(engine, statements, "__modernize_run2", cancellationToken).ConfigureAwait(false);
                var result = await engine.QueryAsync(
                    """
                    SELECT (SELECT count(*) FROM __modernize_run1),
                           (SELECT count(*) FROM __modernize_run2),
                           (SELECT count(*) FROM (SELECT * FROM __modernize_run2 EXCEPT ALL SELECT * FROM __modernize_run1)),
                           (SELECT count(*) FROM (SELECT * FROM __modernize_run1 EXCEPT ALL SELECT * FROM __modernize_run2))
                    """, null, cancellationToken).ConfigureAwait(false);
                var row = result.Rows[0].Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
                details.Add(string.Create(CultureInfo.InvariantCulture, $"{target.Table}: {row[0]} rows after the first run, {row[1]} after the second"));
                if (row[2] != 0 || row[3] != 0)
                {
                    findings.Add(new Finding(Tool, "IDEM01", Severity.Error, Path.GetFileName(file), null, string.Create(CultureInfo.InvariantCulture,
                        $"running the job twice on the same inputs changes {target.Table}: {row[2]} row(s) of the second run are not in the first and {row[3]} row(s) of the first are gone ({row[0]} → {row[1]} rows); a rerun in production would not be safe")));
                }
            }
            catch (Exception e) when (e is DuckDB.NET.Data.DuckDBException or InvalidOperationException)
            {
                findings.Add(new Finding(Tool, "IDEM00", Severity.Error, Path.GetFileName(file), null, $"the DuckDB rendering of {target.Table} failed to run: {e.Message}"));
            }
        }

        return (findings.ToImmutable(), new ToolRun(Tool, "ran", null, string.Join("; ", details)));
    }

    /// <summary>Statements end with <c>;</c> at a line end (the rendering's contract).</summary>
    internal static ImmutableArray<string> Split(string sql)
    {
        var statements = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        foreach (var line in sql.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            current.AppendLine(line);
            if (line.TrimEnd().EndsWith(';'))
            {
                Add(current.ToString());
                current.Clear();
            }
        }

        Add(current.ToString());
        return statements.ToImmutable();

        void Add(string text)
        {
            var trimmed = text.Trim().TrimEnd(';').Trim();
            if (trimmed.Split('\n').Any(l => l.Trim().Length > 0 && !l.Trim().StartsWith("--", StringComparison.Ordinal)))
            {
                statements.Add(trimmed);
            }
        }
    }

    private static async Task LoadInputsAsync(DuckDbEngine engine, Dictionary<string, TableSnapshot> snapshots, RewriteTarget target, CancellationToken cancellationToken)
    {
        foreach (var (name, snapshot) in snapshots)
        {
            var (schema, table) = SchemaAndTable(name);
            await engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}", null, cancellationToken).ConfigureAwait(false);
            // The job's own target is a table (the run replaces it); other inputs are views over the files.
            // Tables, not views: a rendering may read a table's scan order (rowid), as the parallel run loads it.
            await engine.ExecuteAsync($"CREATE TABLE {Quote(schema)}.{Quote(table)} AS SELECT * FROM {DuckDbRelation.Render(snapshot)}", null, cancellationToken).ConfigureAwait(false);
        }

        var (targetSchema, _) = SchemaAndTable(target.Table);
        await engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {Quote(targetSchema)}", null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunOnceAsync(DuckDbEngine engine, ImmutableArray<string> statements, string into, CancellationToken cancellationToken)
    {
        if (statements.IsEmpty)
        {
            throw new InvalidOperationException("the rendering has no statements");
        }

        for (var i = 0; i < statements.Length - 1; i++)
        {
            await engine.ExecuteAsync(statements[i], null, cancellationToken).ConfigureAwait(false);
        }

        await engine.ExecuteAsync($"CREATE OR REPLACE TEMP TABLE {into} AS {statements[^1]}", null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ReplaceTargetAsync(DuckDbEngine engine, string target, string from, CancellationToken cancellationToken)
    {
        var (schema, table) = SchemaAndTable(target);
        await engine.ExecuteAsync($"CREATE OR REPLACE TABLE {Quote(schema)}.{Quote(table)} AS SELECT * FROM {from}", null, cancellationToken).ConfigureAwait(false);
    }

    private static (string Schema, string Table) SchemaAndTable(string name)
    {
        var parts = name.Split('.');
        return parts.Length >= 2 ? (parts[^2], parts[^1]) : ("main", parts[0]);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
