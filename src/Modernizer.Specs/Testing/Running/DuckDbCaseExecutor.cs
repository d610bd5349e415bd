using System.Data.Common;
using Modernizer.Lake.Engines;
using Modernizer.Specs.Data;
using Modernizer.Specs.Testing.Harness;

namespace Modernizer.Specs.Testing.Running;

/// <summary>Runs <c>&lt;job&gt;.duckdb.sql</c> (or the per-target file) in a fresh sandboxed DuckDB where each
/// input exists under the name the legacy code uses, the case's parameters set as variables first
/// (<c>SET VARIABLE name = value</c>, which the rendering's <c>COALESCE(getvariable(...), default)</c> honours),
/// and writes the final SELECT's rows to Parquet. Only the case's work folder and the rewrite folder are readable.</summary>
public sealed class DuckDbCaseExecutor : ICaseExecutor
{
    public string Engine => "duckdb";

    public async Task<Execution> RunAsync(CaseFile file, string target, RewriteFiles rewrite, int targets, string work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(rewrite);
        var path = rewrite.DuckDbFileFor(target, targets);
        if (path is null)
        {
            return new Execution(null, $"the rewrite has no DuckDB rendering for {target} ({rewrite.Layout.DuckDbSqlFor(target)} or {rewrite.Layout.DuckDbSql})", null);
        }

        Directory.CreateDirectory(work);
        var sandbox = DuckDbSandboxOptions.ForRoots(work, rewrite.Layout.Folder) with { TempDirectory = work, Threads = 1, MemoryLimit = "1GB" };
        await using var engine = await DuckDbEngine.OpenAsync(sandbox, cancellationToken);
        try
        {
            await CaseTables.LoadAsync(engine, file.Given, Path.Combine(work, "given"), cancellationToken);
            foreach (var schema in file.Expect.Outputs.Select(o => o.Table).Append(target).Select(SqlText.SchemaOf).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                await engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {SqlText.Table(schema)}", null, cancellationToken);
            }
        }
        catch (Exception e) when (e is DbException or InvalidDataException or IOException)
        {
            return new Execution(null, null, $"the case's inputs cannot be loaded: {First(e.Message)}");
        }

        var actual = Path.Combine(work, "actual.parquet");
        try
        {
            foreach (var (name, value) in file.Parameters)
            {
                var literal = value is null ? "NULL" : $"CAST({SqlText.Literal(value)} AS {rewrite.ParameterType(name)})";
                await engine.ExecuteAsync($"SET VARIABLE {SqlText.Identifier(name)} = {literal}", null, cancellationToken);
            }

            var statements = RewriteFiles.Statements(await File.ReadAllTextAsync(path, cancellationToken));
            if (statements.IsEmpty)
            {
                return new Execution(null, $"{Path.GetFileName(path)} holds no statement", null);
            }

            for (var i = 0; i < statements.Length - 1; i++)
            {
                await engine.ExecuteAsync(statements[i], null, cancellationToken);
            }

            await engine.ExecuteAsync($"COPY ({statements[^1]}) TO {SqlText.Path(actual)} (FORMAT parquet)", null, cancellationToken);
            return new Execution(actual, null, null);
        }
        catch (DbException e)
        {
            return new Execution(null, $"{Path.GetFileName(path)} failed: {First(e.Message)}", null);
        }
    }

    private static string First(string message) => message.Split('\n')[0];
}

/// <summary>Case tables into an engine session: rows to JSONL, then one typed read per table.</summary>
internal static class CaseTables
{
    public static async Task LoadAsync(IQueryEngine engine, IEnumerable<CaseTable> tables, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (var table in tables)
        {
            await WriteAsync(table, folder, cancellationToken);
            if (SqlText.SchemaOf(table.Table) is { } schema)
            {
                await engine.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {SqlText.Table(schema)}", null, cancellationToken);
            }

            await engine.ExecuteAsync($"CREATE OR REPLACE TABLE {SqlText.Table(table.Table)} AS {ProtocolTables.ReadSelect(folder, table.Table, table.Columns)}", null, cancellationToken);
        }
    }

    /// <summary>A case table as Parquet (for the reconciler), through the same typed read.</summary>
    public static async Task<string> ToParquetAsync(IQueryEngine engine, CaseTable table, string folder, string file, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await WriteAsync(table, folder, cancellationToken);
        var path = Path.Combine(folder, file);
        await engine.ExecuteAsync($"COPY ({ProtocolTables.ReadSelect(folder, table.Table, table.Columns)}) TO {SqlText.Path(path)} (FORMAT parquet)", null, cancellationToken);
        return path;
    }

    private static async Task WriteAsync(CaseTable table, string folder, CancellationToken cancellationToken)
    {
        await File.WriteAllLinesAsync(Path.Combine(folder, table.Table + ".jsonl"), table.Rows, cancellationToken);
        await ProtocolTables.WriteSchemaAsync(folder, table.Table, table.Columns, cancellationToken);
    }
}
