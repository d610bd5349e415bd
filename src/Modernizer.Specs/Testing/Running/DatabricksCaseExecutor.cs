using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Engines.Databricks;
using Modernizer.Specs.Data;
using Modernizer.Specs.Testing.Harness;

namespace Modernizer.Specs.Testing.Running;

/// <summary>Runs the Spark SQL deliverable (<c>&lt;job&gt;.sql</c>) on a Databricks SQL warehouse through the
/// Statement Execution API engine, in a scratch catalog: each case's inputs are created there under the
/// names the legacy code uses, the targets dropped (pre-run state: absent), the rewrite's statements run
/// with the case's parameters bound to their named markers, and the target read back. The rows come home
/// as Parquet and are compared locally by the same exact multiset reconciliation.</summary>
public sealed partial class DatabricksCaseExecutor(IQueryEngine warehouse, string catalog) : ICaseExecutor
{
    public string Engine => $"databricks ({catalog})";

    public async Task<Execution> RunAsync(CaseFile file, string target, RewriteFiles rewrite, int targets, string work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(rewrite);
        if (!File.Exists(rewrite.Layout.SparkSql))
        {
            return new Execution(null, $"the rewrite has no Spark SQL deliverable ({rewrite.Layout.SparkSql})", null);
        }

        try
        {
            foreach (var table in file.Given)
            {
                foreach (var statement in Create(table))
                {
                    await warehouse.ExecuteAsync(statement, null, cancellationToken);
                }
            }

            foreach (var output in file.Expect.Outputs.Select(o => o.Table).Append(target).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (SqlText.SchemaOf(output) is { } schema)
                {
                    await warehouse.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}", null, cancellationToken);
                }

                if (!file.Given.Any(g => string.Equals(g.Table, output, StringComparison.OrdinalIgnoreCase)))
                {
                    await warehouse.ExecuteAsync($"DROP TABLE IF EXISTS {Quote(output)}", null, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is DatabricksSqlException or HttpRequestException or DbException)
        {
            return new Execution(null, null, "the case's inputs cannot be created on the warehouse: " + e.Message.Split('\n')[0]);
        }

        QueryResult rows;
        try
        {
            foreach (var statement in RewriteFiles.Statements(await File.ReadAllTextAsync(rewrite.Layout.SparkSql, cancellationToken)))
            {
                var bound = Marker().Matches(statement).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)
                    .Where(file.Parameters.ContainsKey).Select(name => new QueryParameter(name, file.Parameters[name])).ToList();
                await warehouse.ExecuteAsync(statement, bound, cancellationToken);
            }

            rows = await warehouse.QueryAsync($"SELECT * FROM {Quote(target)}", null, cancellationToken);
        }
        catch (Exception e) when (e is DatabricksSqlException or DbException)
        {
            return new Execution(null, $"{Path.GetFileName(rewrite.Layout.SparkSql)} failed on the warehouse: {e.Message.Split('\n')[0]}", null);
        }

        var expected = file.Expect.Outputs.FirstOrDefault(o => string.Equals(o.Table, target, StringComparison.OrdinalIgnoreCase));
        var columns = expected?.Columns ?? [.. rows.Columns.Select(c => new ProtocolColumn(c.Name, SparkTypeName(c.Type)))];
        var actual = new CaseTable(target, columns, [.. rows.Rows.Select(r => RowJson(rows.Columns, r, columns))]);
        Directory.CreateDirectory(work);
        await using var local = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(work) with { TempDirectory = work, Threads = 1 }, cancellationToken);
        return new Execution(await CaseTables.ToParquetAsync(local, actual, Path.Combine(work, "actual"), "actual.parquet", cancellationToken), null, null);
    }

    /// <summary>CREATE SCHEMA, CREATE OR REPLACE TABLE with the case's column types, and one INSERT of its rows.</summary>
    public static ImmutableArray<string> Create(CaseTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var statements = ImmutableArray.CreateBuilder<string>();
        if (SqlText.SchemaOf(table.Table) is { } schema)
        {
            statements.Add($"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}");
        }

        statements.Add($"CREATE OR REPLACE TABLE {Quote(table.Table)} ({string.Join(", ", table.Columns.Select(c => $"{Identifier(c.Name)} {c.Type.ToUpperInvariant()}"))})");
        if (!table.Rows.IsEmpty)
        {
            var values = new StringBuilder();
            foreach (var row in table.Rows)
            {
                using var document = JsonDocument.Parse(row);
                values.Append(values.Length == 0 ? string.Empty : ", ").Append('(')
                    .Append(string.Join(", ", table.Columns.Select(c => Literal(document.RootElement.TryGetProperty(c.Name, out var v) ? v : default, c.Type)))).Append(')');
            }

            statements.Add($"INSERT INTO {Quote(table.Table)} VALUES {values}");
        }

        return statements.ToImmutable();
    }

    /// <summary>A Spark SQL literal of the column's type from the protocol's JSON value.</summary>
    private static string Literal(JsonElement value, string type)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return $"CAST(NULL AS {type.ToUpperInvariant()})";
        }

        return type switch
        {
            "long" or "integer" or "short" or "byte" => value.GetInt64().ToString(CultureInfo.InvariantCulture),
            "double" or "float" => $"CAST({value.GetDouble().ToString("R", CultureInfo.InvariantCulture)} AS {type.ToUpperInvariant()})",
            "boolean" => value.GetBoolean() ? "TRUE" : "FALSE",
            "date" => $"DATE {Text(value.GetString()!)}",
            "timestamp" => $"TIMESTAMP {Text(value.GetString()!)}",
            _ when type.StartsWith("decimal(", StringComparison.Ordinal) => $"CAST({Text(value.GetString()!)} AS {type.ToUpperInvariant()})",
            _ => Text(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()),
        };
    }

    /// <summary>A Spark SQL string literal: backslashes and quotes escaped (Spark reads backslash escapes).</summary>
    private static string Text(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string Identifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    private static string Quote(string table) => string.Join('.', table.Split('.').Select(Identifier));

    /// <summary>A warehouse row back into the protocol's JSON (decimals and dates as text, as the legacy side writes them).</summary>
    private static string RowJson(ImmutableArray<ResultColumn> resultColumns, ImmutableArray<object?> row, ImmutableArray<ProtocolColumn> columns)
    {
        var json = new System.Text.Json.Nodes.JsonObject();
        foreach (var column in columns)
        {
            var index = resultColumns.Select((c, i) => (c, i)).FirstOrDefault(x => string.Equals(x.c.Name, column.Name, StringComparison.OrdinalIgnoreCase)).i;
            var value = index < row.Length ? row[index] : null;
            json[column.Name] = value switch
            {
                null => null,
                _ when column.Type is "long" or "integer" or "short" or "byte" => System.Text.Json.Nodes.JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                _ when column.Type is "double" or "float" => System.Text.Json.Nodes.JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
                _ when column.Type == "boolean" => System.Text.Json.Nodes.JsonValue.Create(Convert.ToBoolean(value, CultureInfo.InvariantCulture)),
                _ => System.Text.Json.Nodes.JsonValue.Create(QueryRecord.Text(value)),
            };
        }

        return json.ToJsonString();
    }

    private static string SparkTypeName(string type) => type.ToLowerInvariant() switch
    {
        "bigint" or "long" => "long",
        "int" or "integer" => "integer",
        "double" => "double",
        "boolean" => "boolean",
        "date" => "date",
        "timestamp" => "timestamp",
        var t when t.StartsWith("decimal", StringComparison.Ordinal) => t,
        _ => "string",
    };

    [GeneratedRegex(@"(?<![:\w]):([A-Za-z_]\w*)", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();
}
