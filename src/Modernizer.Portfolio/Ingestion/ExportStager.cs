using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Lake.Engines;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>Stages exports into the engine as typed tables, set-based: each file is read once by
/// DuckDB (read_csv / read_json lines / read_parquet), every value is converted with TRY_CAST, and
/// a row whose value cannot be read (or lacks a required value) goes to <c>pf_bad_rows</c> with its
/// file and line instead of stopping the load. <c>pf_&lt;table&gt;</c> is a view of the good rows.</summary>
internal sealed class ExportStager(IQueryEngine engine, string workspaceRoot)
{
    public const string BadRowsTable = "pf_bad_rows";

    private const string OffsetPattern = @"(Z|z|[+-]\d\d(:?\d\d)?)$";

    private readonly List<IngestedFile> _files = [];
    private int _scan;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await engine.ExecuteAsync(
            $"CREATE OR REPLACE TEMP TABLE {BadRowsTable} (file VARCHAR, line BIGINT, problem VARCHAR)", null, cancellationToken);
        // json_extract_string throws on malformed text; a malformed value must become a bad row instead.
        await engine.ExecuteAsync(
            "CREATE OR REPLACE TEMP MACRO pf_jx(x, p) AS json_extract_string(CASE WHEN json_valid(x) THEN x END, p)", null, cancellationToken);
    }

    /// <summary>Stages every file of <paramref name="spec"/>; returns false when none exists
    /// (the view is then created empty so later queries need no special case).</summary>
    public async Task<bool> StageAsync(ExportSpec spec, CancellationToken cancellationToken)
    {
        var all = Sql.Quote($"pf_{spec.Table}_all");
        var columnsDdl = string.Join(", ", spec.Columns.Select(c => $"{Sql.Quote(c.Name)} {(c.Json ? "VARCHAR" : c.Type)}"));
        await engine.ExecuteAsync(
            $"CREATE OR REPLACE TEMP TABLE {all} (_file VARCHAR, _line BIGINT, {columnsDdl}, _problems VARCHAR[])", null, cancellationToken);
        var names = string.Join(", ", spec.Columns.Select(c => Sql.Quote(c.Name)));
        var sources = new List<string> { all };
        var files = ExportLocator.Locate(workspaceRoot, spec.RelativeBase);
        foreach (var file in files)
        {
            if (await StageFileAsync(spec, file, all, cancellationToken) is { } view)
            {
                sources.Add(view);
            }
        }

        // Parquet files stay where they are (a validating view each); text files were copied into the table.
        var union = string.Join(" UNION ALL ", sources.Select(s => $"SELECT _file, _line, {names} FROM {s} WHERE _problems IS NULL"));
        await engine.ExecuteAsync($"CREATE OR REPLACE TEMP VIEW {Sql.Quote("pf_" + spec.Table)} AS {union}", null, cancellationToken);
        return files.Count > 0;
    }

    public async Task<IngestionReport> ReportAsync(int maxListed, CancellationToken cancellationToken)
    {
        var mine = Sql.P("files", string.Join('\n', _files.Select(f => f.File)));
        var count = await engine.QueryAsync(
            $"SELECT count(DISTINCT (file, line)) FROM {BadRowsTable} WHERE list_contains(string_split($files, chr(10)), file)", [mine], cancellationToken);
        var listed = await engine.QueryAsync(
            $"SELECT file, line, problem FROM {BadRowsTable} WHERE list_contains(string_split($files, chr(10)), file) ORDER BY file, line, problem LIMIT $n",
            [mine, Sql.P("n", maxListed)], cancellationToken);
        return new IngestionReport(
            [.. _files],
            Convert.ToInt64(count.Scalar, CultureInfo.InvariantCulture),
            [.. listed.Each().Select(r => new BadRow(r.Req("file"), r.Long("line"), r.Req("problem")))]);
    }

    /// <summary>Text files (CSV, JSONL) are read once into the table, with their line numbers and the
    /// reader's rejects. A Parquet file is typed and self-describing: it gets a validating view instead
    /// (returned), read once here for its bad rows and again by the query that uses it, so millions of
    /// billing and run rows are never copied into memory.</summary>
    private async Task<string?> StageFileAsync(ExportSpec spec, ExportFile file, string all, CancellationToken cancellationToken)
    {
        var scan = ++_scan;
        var rejects = $"pf_rejects_{scan}";
        var rejectScans = $"pf_reject_scans_{scan}";
        var sourceTypes = await DescribeAsync(file, cancellationToken);
        var (relation, lineExpr) = file.Format switch
        {
            ExportFormat.Csv => (
                $"(SELECT row_number() OVER () + 1 AS _line, * FROM read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', " +
                $"store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejectScans}'))",
                "_line"),
            ExportFormat.Jsonl => (
                "(SELECT _line, _valid, CASE WHEN _valid THEN _j END AS _j FROM (SELECT row_number() OVER () AS _line, json_valid(_j) AS _valid, _j FROM read_csv($path, header = false, columns = {'_j': 'VARCHAR'}, " +
                "delim = chr(1), quote = '', escape = '', auto_detect = false)))",
                "_line"),
            // A view cannot hold a bound parameter; the path comes from the directory listing and is quoted.
            _ => ($"read_parquet({Sql.Literal(file.FullPath)}, file_row_number = true)", "file_row_number + 1"),
        };

        var raw = spec.Columns.Select(c => (Column: c, Expr: RawExpression(c, file.Format, sourceTypes))).ToArray();
        var select = new StringBuilder();
        select.Append("SELECT ").Append(Sql.Literal(file.RelativePath)).Append(" AS _file, ").Append(lineExpr).Append(" AS _line");
        var checks = new List<string>();
        var messages = new List<string>();
        if (file.Format == ExportFormat.Jsonl)
        {
            checks.Add("_valid");
            messages.Add("CASE WHEN NOT _valid THEN 'the line is not a JSON object' END");
        }

        foreach (var (column, expr) in raw)
        {
            var typed = TypedExpression(column, expr.Sql, expr.Type);
            select.Append(", ").Append(typed).Append(" AS ").Append(Sql.Quote(column.Name));
            var readable = column.Json ? $"({expr.Sql} IS NULL OR json_valid({expr.Sql}))"
                : column.Type == "VARCHAR" ? "true"
                : $"({expr.Sql} IS NULL OR {typed} IS NOT NULL)";
            checks.Add(readable);
            messages.Add($"CASE WHEN NOT {readable} THEN format('{column.Name}: cannot read ''{{}}'' as {(column.Json ? "JSON" : column.Type)}', left(CAST({expr.Sql} AS VARCHAR), 80)) END");
            if (column.Required)
            {
                checks.Add($"({typed} IS NOT NULL)");
                messages.Add($"CASE WHEN {expr.Sql} IS NULL THEN '{column.Name}: required value missing' END");
            }
        }

        var ok = string.Join(" AND ", checks);
        select.Append(", CASE WHEN ").Append(ok).Append(" THEN NULL ")
            .Append(file.Format == ExportFormat.Jsonl ? "WHEN NOT _valid THEN ['the line is not a JSON object'] " : "")
            .Append("ELSE list_filter([")
            .Append(string.Join(", ", messages)).Append("], m -> m IS NOT NULL) END AS _problems FROM ").Append(relation);
        var label = Sql.Literal(file.RelativePath);
        if (file.Format == ExportFormat.Parquet)
        {
            var view = Sql.Quote($"pf_{spec.Table}_f{scan}");
            await engine.ExecuteAsync($"CREATE OR REPLACE TEMP VIEW {view} AS {select}", null, cancellationToken);
            var bad = await engine.ExecuteAsync(
                $"INSERT INTO {BadRowsTable} SELECT _file, _line, unnest(_problems) FROM {view} WHERE _problems IS NOT NULL", null, cancellationToken);
            var total = await engine.QueryAsync("SELECT count(*) FROM read_parquet($path)", [Sql.P("path", file.FullPath)], cancellationToken);
            var badRows = bad == 0 ? 0 : Convert.ToInt64((await engine.QueryAsync(
                $"SELECT count(DISTINCT line) FROM {BadRowsTable} WHERE file = {label}", null, cancellationToken)).Scalar, CultureInfo.InvariantCulture);
            _files.Add(new IngestedFile(file.RelativePath, spec.Table, "parquet", Convert.ToInt64(total.Scalar, CultureInfo.InvariantCulture) - badRows, badRows));
            return view;
        }

        await engine.ExecuteAsync($"INSERT INTO {all} {select}", [Sql.P("path", file.FullPath)], cancellationToken);
        await engine.ExecuteAsync(
            $"INSERT INTO {BadRowsTable} SELECT _file, _line, unnest(_problems) FROM {all} WHERE _file = {label} AND _problems IS NOT NULL",
            null, cancellationToken);
        var readerRejects = 0L;
        if (file.Format == ExportFormat.Csv)
        {
            readerRejects = await engine.ExecuteAsync(
                $"INSERT INTO {BadRowsTable} SELECT {label}, CAST(line AS BIGINT), coalesce(column_name || ': ', '') || error_message FROM {rejects}",
                null, cancellationToken);
            await engine.ExecuteAsync($"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {rejectScans}", null, cancellationToken);
        }

        var stats = await engine.QueryAsync(
            $"SELECT count(*) FILTER (WHERE _problems IS NULL) AS kept, count(*) FILTER (WHERE _problems IS NOT NULL) AS bad FROM {all} WHERE _file = {label}",
            null, cancellationToken);
        var row = stats.Each().Single();
        _files.Add(new IngestedFile(file.RelativePath, spec.Table, file.Format.ToString().ToLowerInvariant(), row.Long("kept") ?? 0, (row.Long("bad") ?? 0) + readerRejects));
        return null;
    }

    /// <summary>The columns a CSV header or a Parquet schema declares (name, upper-case type);
    /// JSONL lines are self-describing and need no description.</summary>
    private async Task<Dictionary<string, string>> DescribeAsync(ExportFile file, CancellationToken cancellationToken)
    {
        var relation = file.Format switch
        {
            ExportFormat.Csv => "read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', ignore_errors = true)",
            ExportFormat.Parquet => "read_parquet($path)",
            _ => null,
        };
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (relation is null)
        {
            return types;
        }

        var described = await engine.QueryAsync($"DESCRIBE SELECT * FROM {relation}", [Sql.P("path", file.FullPath)], cancellationToken);
        foreach (var row in described.Each())
        {
            types[row.Req("column_name")] = row.Req("column_type").ToUpperInvariant();
        }

        return types;
    }

    private static (string Sql, string Type) RawExpression(ExportColumn column, ExportFormat format, Dictionary<string, string> sourceTypes)
    {
        var path = "$." + JsonKey(column.SourceColumn);
        if (format == ExportFormat.Jsonl)
        {
            if (column.Field is { } field)
            {
                var nested = path + "." + JsonKey(field);
                return ($"coalesce(json_extract_string(_j, '{nested}'), pf_jx(json_extract_string(_j, '{path}'), '$.{JsonKey(field)}'))", "VARCHAR");
            }

            return column.Json
                ? ($"CASE json_type(_j, '{path}') WHEN 'VARCHAR' THEN json_extract_string(_j, '{path}') WHEN 'NULL' THEN NULL ELSE CAST(json_extract(_j, '{path}') AS VARCHAR) END", "VARCHAR")
                : ($"json_extract_string(_j, '{path}')", "VARCHAR");
        }

        if (!sourceTypes.TryGetValue(column.SourceColumn, out var type))
        {
            return ("CAST(NULL AS VARCHAR)", "VARCHAR");
        }

        var name = Sql.Quote(sourceTypes.Keys.First(k => string.Equals(k, column.SourceColumn, StringComparison.OrdinalIgnoreCase)));
        var nestedType = type.StartsWith("STRUCT", StringComparison.Ordinal) || type.StartsWith("MAP", StringComparison.Ordinal) || type.EndsWith(']');
        if (column.Field is { } f)
        {
            return type.StartsWith("STRUCT", StringComparison.Ordinal) ? ($"CAST(struct_extract({name}, {Sql.Literal(f)}) AS VARCHAR)", "VARCHAR")
                : type.StartsWith("MAP", StringComparison.Ordinal) ? ($"CAST({name}[{Sql.Literal(f)}] AS VARCHAR)", "VARCHAR")
                : ($"pf_jx({name}, '$.{JsonKey(f)}')", "VARCHAR");
        }

        if (column.Json)
        {
            return nestedType ? ($"CAST(to_json({name}) AS VARCHAR)", "VARCHAR") : ($"CAST({name} AS VARCHAR)", "VARCHAR");
        }

        return (name, type);
    }

    private static string TypedExpression(ExportColumn column, string raw, string rawType)
    {
        if (column.Json)
        {
            return raw;
        }

        if (column.Type == "TIMESTAMPTZ")
        {
            return rawType switch
            {
                "TIMESTAMP WITH TIME ZONE" => raw,
                "VARCHAR" => $"CASE WHEN regexp_matches(trim({raw}), '{OffsetPattern}') THEN TRY_CAST(trim({raw}) AS TIMESTAMPTZ) ELSE timezone('UTC', TRY_CAST(trim({raw}) AS TIMESTAMP)) END",
                _ => $"timezone('UTC', TRY_CAST({raw} AS TIMESTAMP))",
            };
        }

        if (column.Type == "VARCHAR")
        {
            return rawType == "VARCHAR" ? $"nullif(trim({raw}), '')" : $"CAST({raw} AS VARCHAR)";
        }

        return rawType == "VARCHAR" ? $"TRY_CAST(nullif(trim({raw}), '') AS {column.Type})" : $"TRY_CAST({raw} AS {column.Type})";
    }

    private static string JsonKey(string key) => "\"" + key.Replace("\"", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal) + "\"";
}
