using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Lake.Engines;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>Stages exports into the engine as typed tables, set-based: each file is read once by
/// DuckDB (read_csv / read_json lines / read_parquet), every value is converted with TRY_CAST, and
/// a row whose value cannot be read (or lacks a required value) goes to <c>pf_bad_rows</c> with its
/// file and line instead of stopping the load. <c>pf_&lt;table&gt;</c> is a view of the good rows.
/// A line too long for the reader is a bad row too (<see cref="CsvShape"/>), and so is a second row
/// for the same <see cref="ExportSpec.UniqueKey"/>. Each file's <c>rows_bad</c> counts lines, as the
/// report's <c>bad_row_count</c> does, so the two always agree.</summary>
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
        if (spec.UniqueKey is { } key && files.Count > 0)
        {
            await LeaveOutDuplicatesAsync(spec, key, union, cancellationToken);
        }

        return files.Count > 0;
    }

    /// <summary>A second row for the same key (in file order) is a bad row naming the first; the view
    /// keeps the first only. Nothing is overwritten without a word.</summary>
    private async Task LeaveOutDuplicatesAsync(ExportSpec spec, string key, string union, CancellationToken cancellationToken)
    {
        var column = Sql.Quote(key);
        var dups = Sql.Quote($"pf_{spec.Table}_duplicates");
        var problem = Sql.Literal($"duplicate {key} '{{}}': the row at {{}}:{{}} came first; this row is left out");
        await engine.ExecuteAsync($"""
            CREATE OR REPLACE TEMP TABLE {dups} AS
            SELECT _file, _line, format({problem}, {column}, first_file, first_line) AS problem FROM (
                SELECT _file, _line, {column}, first_value(_file) OVER w AS first_file, first_value(_line) OVER w AS first_line, row_number() OVER w AS n
                FROM ({union}) WHERE {column} IS NOT NULL
                WINDOW w AS (PARTITION BY {column} ORDER BY _file, _line))
            WHERE n > 1
            """, null, cancellationToken);
        await engine.ExecuteAsync($"INSERT INTO {BadRowsTable} SELECT _file, _line, problem FROM {dups}", null, cancellationToken);
        await engine.ExecuteAsync(
            $"CREATE OR REPLACE TEMP VIEW {Sql.Quote("pf_" + spec.Table)} AS SELECT * FROM ({union}) QUALIFY row_number() OVER (PARTITION BY {column} ORDER BY _file, _line) = 1",
            null, cancellationToken);
        var perFile = await engine.QueryAsync($"SELECT _file AS file, count(*) AS n FROM {dups} GROUP BY _file", null, cancellationToken);
        foreach (var row in perFile.Each())
        {
            var index = _files.FindIndex(f => f.File == row.Req("file"));
            var count = row.Long("n") ?? 0;
            _files[index] = _files[index] with { RowsKept = _files[index].RowsKept - count, RowsBad = _files[index].RowsBad + count };
        }
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
        var label = Sql.Literal(file.RelativePath);
        var header = ImmutableArray<string>.Empty;
        if (file.Format == ExportFormat.Csv)
        {
            (header, var headerProblem) = CsvShape.ReadHeader(file.FullPath);
            if (headerProblem is not null || header.IsEmpty)
            {
                if (headerProblem is not null)
                {
                    await engine.ExecuteAsync($"INSERT INTO {BadRowsTable} VALUES ({label}, 1, $problem)", [Sql.P("problem", headerProblem)], cancellationToken);
                }

                _files.Add(new IngestedFile(file.RelativePath, spec.Table, "csv", 0, headerProblem is null ? 0 : 1));
                return null;
            }
        }

        // The reader is told the columns (names from the file, escaped as literals) and never sniffs.
        var columns = "{" + string.Join(", ", header.Select(h => $"{Sql.Literal(h)}: 'VARCHAR'")) + "}";
        var limits = string.Create(CultureInfo.InvariantCulture, $"max_line_size = {CsvShape.MaxLineBytes}, buffer_size = {CsvShape.ReaderBufferBytes}");
        var sourceTypes = file.Format == ExportFormat.Csv
            ? header.ToDictionary(h => h, _ => "VARCHAR", StringComparer.OrdinalIgnoreCase)
            : await DescribeAsync(file, cancellationToken);
        var (relation, lineExpr) = file.Format switch
        {
            ExportFormat.Csv => (
                $"(SELECT row_number() OVER () + 1 AS _line, * FROM read_csv($path, header = true, auto_detect = false, columns = {columns}, delim = ',', quote = '\"', escape = '\"', " +
                $"{limits}, store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejectScans}'))",
                "_line"),
            ExportFormat.Jsonl => (
                "(SELECT _line, _valid, CASE WHEN _valid THEN _j END AS _j FROM (SELECT row_number() OVER () AS _line, json_valid(_j) AS _valid, _j FROM read_csv($path, header = false, columns = {'_j': 'VARCHAR'}, " +
                $"delim = chr(1), quote = '', escape = '', auto_detect = false, {limits}, store_rejects = true, rejects_table = '{rejects}', rejects_scan = '{rejectScans}')))",
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

        // The lines the reader did not return: its rejects (too many or too few columns, an unterminated
        // quote, a line over max_line_size) and the lines too long even for its buffer, which it drops
        // without a reject and without counting them (its reject line numbers skip them).
        var longLines = CsvShape.LongLines(file.FullPath);
        var lost = Sql.Quote($"pf_lost_{scan}");
        await engine.ExecuteAsync(
            $"""
            CREATE OR REPLACE TEMP TABLE {lost} AS
            WITH dropped AS (SELECT line, row_number() OVER (ORDER BY line) AS j FROM (SELECT unnest(CAST($dropped AS BIGINT[])) AS line)),
            rejected AS (
                SELECT CAST(line AS BIGINT) AS counted, coalesce(column_name || ': ', '') || error_message AS problem FROM {rejects}
                WHERE NOT (error_type = 'LINE SIZE OVER MAXIMUM' AND len(CAST($dropped AS BIGINT[])) > 0)),
            placed AS (
                SELECT counted + (SELECT count(*) FROM dropped WHERE counted > dropped.line - dropped.j) AS line, problem FROM rejected
                UNION ALL
                SELECT line, NULL FROM dropped)
            SELECT line, problem, dense_rank() OVER (ORDER BY line) AS i FROM placed
            """,
            [Sql.P("dropped", longLines.Select(l => l.Line).ToArray())], cancellationToken);

        // A returned row's line is its place among the returned rows; each line lost before it moves it down one.
        await engine.ExecuteAsync(
            $"""
            UPDATE {all} SET _line = _line + (SELECT count(DISTINCT l.line) FROM {lost} l WHERE {all}._line > l.line - l.i)
            WHERE _file = {label} AND EXISTS (SELECT 1 FROM {lost})
            """,
            null, cancellationToken);
        await engine.ExecuteAsync(
            $"INSERT INTO {BadRowsTable} SELECT _file, _line, unnest(_problems) FROM {all} WHERE _file = {label} AND _problems IS NOT NULL",
            null, cancellationToken);
        await engine.ExecuteAsync($"INSERT INTO {BadRowsTable} SELECT {label}, line, problem FROM {lost} WHERE problem IS NOT NULL", null, cancellationToken);
        foreach (var (line, bytes) in longLines)
        {
            await engine.ExecuteAsync($"INSERT INTO {BadRowsTable} VALUES ({label}, $line, $problem)",
                [Sql.P("line", line), Sql.P("problem", string.Create(CultureInfo.InvariantCulture,
                    $"the line is {bytes:N0} bytes long, more than the {CsvShape.MaxLineBytes:N0} a row may have: it is left out"))], cancellationToken);
        }

        await engine.ExecuteAsync($"DROP TABLE IF EXISTS {lost}", null, cancellationToken);
        await engine.ExecuteAsync($"DROP TABLE IF EXISTS {rejects}; DROP TABLE IF EXISTS {rejectScans}", null, cancellationToken);

        // Bad rows are counted by line, as the report counts them: a line with five problems is one bad row.
        var stats = await engine.QueryAsync(
            $"""
            SELECT (SELECT count(*) FROM {all} WHERE _file = {label} AND _problems IS NULL) AS kept,
                   (SELECT count(DISTINCT line) FROM {BadRowsTable} WHERE file = {label}) AS bad
            """,
            null, cancellationToken);
        var row = stats.Each().Single();
        _files.Add(new IngestedFile(file.RelativePath, spec.Table, file.Format.ToString().ToLowerInvariant(), row.Long("kept") ?? 0, row.Long("bad") ?? 0));
        return null;
    }

    /// <summary>The columns a Parquet schema declares (name, upper-case type); JSONL lines are
    /// self-describing and a CSV header is read by <see cref="CsvShape"/>.</summary>
    private async Task<Dictionary<string, string>> DescribeAsync(ExportFile file, CancellationToken cancellationToken)
    {
        var relation = file.Format switch
        {
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
