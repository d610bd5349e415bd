using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Validation;

/// <summary>One input table of a parallel run: where it lives and which version to read.</summary>
/// <param name="At">The version the legacy run read (null: the latest); <see cref="Empty"/> when the
/// legacy run found no table (a first run of a job that reads its own target).</param>
public sealed record ParallelInput(string Table, string Folder, TableVersionSpec? At)
{
    public bool Empty { get; init; }
}

/// <summary>One target of the run: the DuckDB rendering that computes its rows, and where the rows go.</summary>
public sealed record ParallelTarget(string Table, string DuckDbSql, string OutputFolder);

/// <summary>What the run read and wrote.</summary>
public sealed record ParallelRunResult(ImmutableArray<ParallelOutput> Outputs, ImmutableArray<ParallelInputVersion> Inputs);

public sealed record ParallelOutput(string Table, string Folder, long Rows);

public sealed record ParallelInputVersion(string Table, long? Version, long Rows);

/// <summary>Runs a rewrite's DuckDB rendering on the inputs the legacy run read (R4.4, X4): each
/// input table is loaded, at its version, as a table of the session under the name the code uses, in
/// the order the table's files list it (the order a scan returns rows); the rendering's statements
/// run in the sandboxed engine; its final SELECT is written as the candidate's output (Parquet).
/// Each target runs in a session of its own, so one rendering cannot see another's state.</summary>
public static class ParallelRun
{
    public static async Task<ParallelRunResult> RunAsync(
        IReadOnlyList<ParallelInput> inputs, IReadOnlyList<ParallelTarget> targets, string tempFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        var snapshots = new List<(ParallelInput Input, TableSnapshot? Snapshot)>();
        foreach (var input in inputs)
        {
            snapshots.Add((input, input.Empty ? null : await LakeTable.OpenAsync(input.Folder, input.At, cancellationToken)));
        }

        var outputs = ImmutableArray.CreateBuilder<ParallelOutput>();
        var versions = new Dictionary<string, ParallelInputVersion>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in targets)
        {
            Directory.CreateDirectory(target.OutputFolder);
            foreach (var stale in Directory.GetFiles(target.OutputFolder))
            {
                File.Delete(stale);
            }

            var roots = snapshots.Where(s => s.Snapshot is not null).SelectMany(s => DuckDbSandboxOptions.ForTables(s.Snapshot!).ReadableRoots)
                .Append(target.OutputFolder).Distinct(StringComparer.Ordinal).ToArray();
            var sandbox = DuckDbSandboxOptions.ForRoots(roots) with { TempDirectory = tempFolder };
            await using var engine = await DuckDbEngine.OpenAsync(sandbox, cancellationToken);
            foreach (var (input, snapshot) in snapshots)
            {
                var rows = await LoadAsync(engine, input, snapshot, cancellationToken);
                versions[input.Table] = new ParallelInputVersion(input.Table, snapshot?.Version, rows);
            }

            var statements = SqlScript.Split(target.DuckDbSql);
            if (statements.Count == 0)
            {
                throw new InvalidOperationException($"The DuckDB rendering of {target.Table} has no statements.");
            }

            foreach (var statement in statements.Take(statements.Count - 1))
            {
                await engine.ExecuteAsync(statement, null, cancellationToken);
            }

            var file = Path.Combine(target.OutputFolder, "part-00000.parquet");
            var copy = $"COPY ({statements[^1]}) TO {Literal(file)} (FORMAT PARQUET)";
            var written = await engine.ExecuteAsync(copy, null, cancellationToken);
            outputs.Add(new ParallelOutput(target.Table, target.OutputFolder, written));
        }

        return new ParallelRunResult(outputs.ToImmutable(), [.. versions.Values.OrderBy(v => v.Table, StringComparer.Ordinal)]);
    }

    private static async Task<long> LoadAsync(DuckDbEngine engine, ParallelInput input, TableSnapshot? snapshot, CancellationToken cancellationToken)
    {
        var parts = input.Table.Split('.');
        if (parts.Length != 2)
        {
            throw new InvalidOperationException($"The input {input.Table} is not a schema.table name.");
        }

        var schema = DuckDbTypes.QuoteIdentifier(parts[0]);
        var name = schema + "." + DuckDbTypes.QuoteIdentifier(parts[1]);
        await engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {schema}", null, cancellationToken);
        if (snapshot is null)
        {
            // The legacy run found no table: the rendering creates it empty (CREATE TABLE IF NOT EXISTS).
            return 0;
        }

        await engine.ExecuteAsync($"CREATE TABLE {name} AS SELECT * FROM {DuckDbRelation.Render(snapshot)}", null, cancellationToken);
        var count = await engine.QueryAsync($"SELECT count(*) FROM {name}", null, cancellationToken);
        return Convert.ToInt64(count.Rows[0][0], CultureInfo.InvariantCulture);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>Splits a SQL script into statements at semicolons outside quotes and comments.</summary>
public static class SqlScript
{
    public static IReadOnlyList<string> Split(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var statements = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '-' && i + 1 < script.Length && script[i + 1] == '-')
            {
                var end = script.IndexOf('\n', i);
                i = end < 0 ? script.Length : end;
                continue;
            }

            if (c is '\'' or '"')
            {
                var close = i + 1;
                while (close < script.Length)
                {
                    if (script[close] == c)
                    {
                        if (close + 1 < script.Length && script[close + 1] == c)
                        {
                            close += 2;
                            continue;
                        }

                        break;
                    }

                    close++;
                }

                current.Append(script, i, Math.Min(close + 1, script.Length) - i);
                i = close + 1;
                continue;
            }

            if (c == ';')
            {
                Add(statements, current);
                i++;
                continue;
            }

            current.Append(c);
            i++;
        }

        Add(statements, current);
        return statements;
    }

    private static void Add(List<string> statements, StringBuilder current)
    {
        var text = current.ToString().Trim();
        if (text.Length > 0)
        {
            statements.Add(text);
        }

        current.Clear();
    }
}
