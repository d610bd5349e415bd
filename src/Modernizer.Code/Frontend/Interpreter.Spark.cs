using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

internal sealed partial class Interpreter
{
    private static readonly HashSet<string> Aggregates = new(StringComparer.Ordinal)
    {
        "sum", "count", "countDistinct", "count_distinct", "avg", "mean", "max", "min", "first", "last", "collect_list",
        "collect_set", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "approx_count_distinct", "sumDistinct",
        "sum_distinct", "any_value", "max_by", "min_by", "percentile_approx", "median", "mode", "bool_and", "bool_or",
    };

    private static readonly HashSet<string> WindowFunctions = new(StringComparer.Ordinal)
    {
        "row_number", "rank", "dense_rank", "percent_rank", "ntile", "lag", "lead", "cume_dist", "nth_value",
    };

    private static readonly HashSet<string> MaskingFunctions = new(StringComparer.Ordinal)
    {
        "sha2", "sha1", "sha", "md5", "hash", "xxhash64", "crc32", "mask", "base64", "aes_encrypt",
    };

    /// <summary>Functions whose string arguments are all column names.</summary>
    private static readonly HashSet<string> AllColumnArguments = new(StringComparer.Ordinal)
    {
        "coalesce", "greatest", "least", "concat", "struct", "array", "countDistinct", "count_distinct", "hash", "xxhash64", "create_map",
    };

    private static readonly HashSet<string> FrameMethods = new(StringComparer.Ordinal)
    {
        "select", "selectExpr", "withColumn", "withColumns", "withColumnRenamed", "withColumnsRenamed", "drop", "filter", "where", "join",
        "crossJoin", "groupBy", "groupby", "rollup", "cube", "agg", "union", "unionAll", "unionByName", "distinct", "dropDuplicates",
        "drop_duplicates", "orderBy", "sort", "sortWithinPartitions", "limit", "alias", "cache", "persist", "checkpoint", "localCheckpoint", "unpersist",
        "repartition", "repartitionByRange", "coalesce", "collect", "take", "head", "first", "tail", "toPandas", "toLocalIterator", "count",
        "show", "isEmpty", "foreach", "foreachPartition", "toJSON", "createOrReplaceTempView", "createTempView", "registerTempTable",
        "createGlobalTempView", "createOrReplaceGlobalTempView", "transform", "fillna", "dropna", "replace", "explain", "printSchema",
        "sample", "randomSplit", "writeTo", "na", "describe", "summary", "exceptAll", "subtract", "intersect", "intersectAll", "hint",
        "withWatermark", "dropDuplicatesWithinWatermark", "mapInPandas", "toDF", "melt", "unpivot", "observe", "to", "offset",
    };

    private static bool IsFrameMethod(string name) => FrameMethods.Contains(name);

    private DataFrameValue Derive(
        DataFrameValue input,
        string op,
        int line,
        ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>? columns = null,
        ImmutableArray<string>? open = null,
        IEnumerable<ColumnSource>? indirect = null,
        FrameTraits add = FrameTraits.None,
        IEnumerable<DataFrameValue>? others = null)
    {
        var inputs = ImmutableArray.Create(input).AddRange(others ?? []);
        var sources = inputs.Aggregate(ImmutableHashSet<string>.Empty, (s, f) => s.Union(f.Sources));
        var indirectAll = inputs.Aggregate(ImmutableHashSet<ColumnSource>.Empty, (s, f) => s.Union(f.Indirect));
        return new DataFrameValue(
            _job.NextFrameId(),
            op,
            inputs,
            sources,
            columns ?? input.Columns,
            open ?? input.OpenTables,
            indirect is null ? indirectAll : indirectAll.Union(indirect),
            (input.Traits & ~(FrameTraits.Cached | FrameTraits.SinglePartition)) | add,
            line);
    }

    private ImmutableHashSet<ColumnSource> SourcesOf(DataFrameValue frame, ColumnValue column)
    {
        if (column.Has(ColumnTraits.Literal) && column.Refs.IsEmpty)
        {
            return [];
        }

        var subtype = column.Has(ColumnTraits.Aggregate) ? LineageSubtype.Aggregation
            : column.Has(ColumnTraits.Transformed) || column.Has(ColumnTraits.Udf) || column.Has(ColumnTraits.Window) ? LineageSubtype.Transformation
            : LineageSubtype.Identity;
        var builder = ImmutableHashSet.CreateBuilder<ColumnSource>();
        foreach (var reference in column.Refs)
        {
            foreach (var source in ResolveSources(frame, reference))
            {
                builder.Add(subtype == LineageSubtype.Identity ? source : source with { Subtype = source.Subtype == LineageSubtype.Aggregation ? LineageSubtype.Aggregation : subtype });
            }
        }

        return builder.ToImmutable();
    }

    private static IEnumerable<ColumnSource> ResolveSources(DataFrameValue frame, string reference)
    {
        var key = reference.ToLowerInvariant();
        var dot = key.LastIndexOf('.');
        if (frame.Columns.TryGetValue(key, out var known) || (dot > 0 && frame.Columns.TryGetValue(key[(dot + 1)..], out known)))
        {
            return known;
        }

        var bare = dot > 0 ? key[(dot + 1)..] : key;
        return frame.OpenTables.Select(t => new ColumnSource(new ColumnRef(t, bare), LineageSubtype.Identity));
    }

    private ColumnValue ToColumn(PyValue value, int line) => value switch
    {
        ConstValue { Value: string name } => ColumnValue.Ref(name, line),
        TextValue { IsKnown: true } text => ColumnValue.Ref(text.Render(), line),
        _ => AsColumn(value, line),
    };

    private IEnumerable<ColumnValue> ColumnsOf(CallArgs args, int line)
    {
        foreach (var value in args.Positional)
        {
            if (value is ListValue list)
            {
                foreach (var item in list.Items)
                {
                    yield return ToColumn(item, line);
                }
            }
            else
            {
                yield return ToColumn(value, line);
            }
        }
    }

    private static string OutputName(ColumnValue column) => (column.Name ?? column.Sql).ToLowerInvariant();

    private PyValue SessionMethod(string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (method)
        {
            case "table":
                return ReadNamedTable(args.At(0, "tableName"), line, "spark.table");
            case "sql":
                return RunSql(args.At(0, "sqlQuery") ?? ConstValue.None, node);
            case "createDataFrame":
                return CreateDataFrame(args.At(0, "data"), args.At(1, "schema"), line);
            case "range":
                return new DataFrameValue(_job.NextFrameId(), "Range", [], [], ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty.Add("id", []), [], [], FrameTraits.None, line);
            case "newSession" or "getActiveSession":
                return new SparkSessionValue();
            default:
                return new UnknownValue("spark." + method, Taint.None);
        }
    }

    private PyValue ReadNamedTable(PyValue? name, int line, string via)
    {
        var (table, confidence) = TableName(name, line);
        return _job.ReadTable(table, line, _file, via, confidence, null, Stamp);
    }

    /// <summary>A table name from a value: known text, or the text with holes and a lower confidence.</summary>
    private (string Table, double Confidence) TableName(PyValue? value, int line)
    {
        switch (value)
        {
            case ConstValue { Value: string s }:
                return (StripQuotes(s), 1.0);
            case TextValue text:
                if (!text.IsKnown)
                {
                    Add(new UnresolvedFact("table name " + text.Render(), "built from values not known before run time") { File = _file, Line = line });
                }

                return (StripQuotes(text.Render()), text.Confidence);
            case UnknownValue { Description: var expression } when IsExpressionText(expression):
                // The expression is the name's identity: the same variable is the same table,
                // two different ones are two tables.
                Add(new UnresolvedFact("table name {" + expression + "}", "not a constant") { File = _file, Line = line });
                return ("{" + expression + "}", 0.3);
            default:
                // Nothing to name it by: unique to this place, so it never merges with another table.
                var where = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{?{_file}:{line}}}");
                Add(new UnresolvedFact("table name " + where, "not a constant") { File = _file, Line = line });
                return (where, 0.2);
        }
    }

    /// <summary>A description that is an expression as written (a variable, <c>args['db']</c>),
    /// not one of the frontend's generic words.</summary>
    private static bool IsExpressionText(string description) =>
        description.Length > 0 && description is not ("unknown" or "call" or "item" or "value" or "element" or "unpacked" or "starred" or "either" or "bool" or "number" or "dict" or "list" or "lambda" or "split" or "substring" or "exception" or "class")
        && !description.StartsWith("str.", StringComparison.Ordinal) && (char.IsLetter(description[0]) || description[0] == '_');

    private static string StripQuotes(string name) => name.Replace("`", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();

    private PyValue CreateDataFrame(PyValue? data, PyValue? schema, int line)
    {
        var taint = data?.Taint ?? Taint.None;
        var columns = schema switch
        {
            SchemaValue s => s.Columns,
            ConstValue { Value: string ddl } => ParseDdlColumns(ddl),
            ListValue list => [.. list.Items.OfType<ConstValue>().Select(c => c.AsText() ?? string.Empty).Where(c => c.Length > 0).Select(c => c.ToLowerInvariant())],
            _ => ImmutableArray<string>.Empty,
        };
        Add(new CreateDataFrameFact(!taint.IsEmpty) { File = _file, Line = line });
        var map = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<ColumnSource>>();
        var collected = data is DriverDataValue { From: { } origin } ? origin : null;
        foreach (var column in columns)
        {
            // Rows built on the driver: a column that keeps the name of a collected column is
            // taken to come from it (the positional mapping is not tracked through Python).
            if (collected is not null && collected.Columns.TryGetValue(column, out var known))
            {
                map[column] = [.. known.Select(s => s.IsDirect ? s with { Subtype = s.Subtype == LineageSubtype.Aggregation ? s.Subtype : LineageSubtype.Transformation } : s)];
                continue;
            }

            var same = taint.Columns.Where(c => string.Equals(c.Column, column, StringComparison.OrdinalIgnoreCase)).ToArray();
            map[column] = [.. same.Select(c => new ColumnSource(c, LineageSubtype.Transformation))];
        }

        var indirect = taint.Columns.Select(c => new ColumnSource(c, LineageSubtype.Conditional));
        var source = data is DriverDataValue { From: { } from } ? from : null;
        var frame = new DataFrameValue(_job.NextFrameId(), "CreateDataFrame(driver data)", source is null ? [] : [source], taint.Tables, map.ToImmutable(), [], [.. indirect], FrameTraits.FromDriverData, line)
        {
            Step = new FrameStep("driver", [.. columns], []),
        };
        return frame;
    }

    private static ImmutableArray<string> ParseDdlColumns(string ddl) =>
        [.. ddl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty)
            .Where(name => name.Length > 0)
            .Select(name => name.Trim('`').ToLowerInvariant())];

    private PyValue RunSql(PyValue text, PyNode call)
    {
        var line = call.Line;
        var sql = text switch
        {
            ConstValue { Value: string s } c => TextValue.Of(s) with { Line = c.Line },
            TextValue t => t,
            _ => TextValue.Hole("sql", text.Taint, line),
        };
        var dynamic = text is not ConstValue;
        var (rendered, holes) = RenderForParser(sql);
        var summary = RestoreHoles(Options.SqlReader.Read(rendered), holes);
        var baseLine = sql.Line > 0 ? sql.Line : line;
        Add(new SqlFact(sql, dynamic, summary, baseLine, call.Span.EndLine) { File = _file, Line = line });
        if (summary.Use is { } use)
        {
            _job.ApplyUse(use);
        }

        var reads = summary.Reads.Select(r => _job.ReadTable(r, line, _file, "spark.sql", sql.Confidence, null, Stamp, summary.Versions.GetValueOrDefault(r))).ToArray();
        foreach (var write in summary.Writes)
        {
            var source = SqlFrame(reads, write.Columns, summary.OpenOutput, line);
            Add(new WriteFact(write.Table, "sql_" + write.Kind, write.Kind.Contains("overwrite", StringComparison.Ordinal) ? "overwrite" : write.Kind, "delta", [], write.HasPartitionFilter, source, sql.Confidence)
            {
                File = _file,
                Line = write.RelativeLine > 0 ? baseLine + write.RelativeLine - 1 : line,
            });
        }

        var result = SqlFrame(reads, summary.OutputColumns, summary.OpenOutput, line) with { Step = new FrameStep("sql", [], [], rendered) };
        if (!summary.OutputColumns.IsEmpty && summary.OutputColumns.All(c => c.Aggregated) && !summary.Findings.Any(f => f.Kind == "group_by"))
        {
            result = result with { Traits = result.Traits | FrameTraits.Aggregated | FrameTraits.SingleRow };
        }
        else if (summary.OutputColumns.Any(c => c.Aggregated) && summary.Findings.Any(f => f.Kind == "group_by"))
        {
            // GROUP BY: one row per group, a summary of the data rather than the data.
            result = result with { Traits = result.Traits | FrameTraits.Aggregated };
        }
        foreach (var view in summary.TempViews)
        {
            _job.TempViews[view] = result;
            Add(new TempViewFact(view) { File = _file, Line = line });
        }

        // A persistent view made here resolves to its definition when the job reads it later:
        // it is the job's own object, never a source.
        foreach (var view in summary.Writes.Where(w => w.Kind == "view"))
        {
            _job.TempViews[_job.Canonical(view.Table)] = SqlFrame(reads, view.Columns, summary.OpenOutput, line);
        }

        return result;
    }

    /// <summary>The frame a SQL query produces: its output columns traced to table columns
    /// (through temp views registered by earlier code), the tables it read.</summary>
    private DataFrameValue SqlFrame(IReadOnlyList<DataFrameValue> reads, ImmutableArray<SqlOutputColumn> output, bool open, int line)
    {
        var columns = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<ColumnSource>>();
        var openTables = new List<string>();
        foreach (var column in output)
        {
            if (column.Name == "*")
            {
                foreach (var table in column.Sources.Select(s => s.Table).Where(t => !_job.TempViews.ContainsKey(t)))
                {
                    var read = reads.FirstOrDefault(r => r.Inputs.IsEmpty && r.Sources.Contains(table));
                    if (read is { OpenTables.IsEmpty: true })
                    {
                        columns.AddRange(read.Columns.Where(kv => !columns.ContainsKey(kv.Key)));
                    }
                    else
                    {
                        openTables.Add(table);
                    }
                }

                foreach (var view in column.Sources.Select(s => s.Table).Where(_job.TempViews.ContainsKey))
                {
                    var frame = _job.TempViews[view];
                    columns.AddRange(frame.Columns.Where(kv => !columns.ContainsKey(kv.Key)));
                    openTables.AddRange(frame.OpenTables);
                }

                continue;
            }

            var subtype = column.Aggregated ? LineageSubtype.Aggregation : column.Computed ? LineageSubtype.Transformation : LineageSubtype.Identity;
            var sources = ImmutableHashSet.CreateBuilder<ColumnSource>();
            foreach (var source in column.Sources)
            {
                if (_job.TempViews.TryGetValue(source.Table, out var view))
                {
                    sources.UnionWith(view.Resolve(source.Column).Select(c => new ColumnSource(c, subtype)));
                }
                else
                {
                    sources.Add(new ColumnSource(source, subtype));
                }
            }

            columns[column.Name] = sources.ToImmutable();
        }

        var tables = reads.Aggregate(ImmutableHashSet<string>.Empty, (s, f) => s.Union(f.Sources));
        return new DataFrameValue(_job.NextFrameId(), "SQL", [.. reads], tables, columns.ToImmutable(), [.. openTables.Distinct()], [], FrameTraits.None, line);
    }

    /// <summary>Holes become <c>${name}</c> placeholders the Spark SQL parser keeps as such; the
    /// map gives each placeholder back its expression, so names read from SQL and from Python
    /// agree (<c>{config['db']}.orders</c> either way).</summary>
    private static (string Text, Dictionary<string, string> Holes) RenderForParser(TextValue sql)
    {
        var builder = new System.Text.StringBuilder();
        var holes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in sql.Parts)
        {
            if (part.Hole is null)
            {
                builder.Append(part.Literal);
                continue;
            }

            var name = new string([.. part.Hole.Select(c => char.IsLetterOrDigit(c) ? c : '_')]).Trim('_');
            name = name.Length == 0 ? "hole" : name;
            var unique = name;
            for (var n = 2; holes.TryGetValue(unique, out var taken) && taken != part.Hole; n++)
            {
                unique = name + "_" + n.ToString(CultureInfo.InvariantCulture);
            }

            holes[unique] = part.Hole;
            builder.Append("${").Append(unique).Append('}');
        }

        return (builder.ToString(), holes);
    }

    private static string RestoreHoles(string name, Dictionary<string, string> holes)
    {
        if (!name.Contains("${", StringComparison.Ordinal))
        {
            return name;
        }

        foreach (var (placeholder, hole) in holes)
        {
            name = name.Replace("${" + placeholder.ToLowerInvariant() + "}", "{" + hole + "}", StringComparison.OrdinalIgnoreCase);
        }

        return name;
    }

    private static SqlSummary RestoreHoles(SqlSummary summary, Dictionary<string, string> holes) =>
        holes.Count == 0 ? summary : summary with
        {
            Reads = [.. summary.Reads.Select(r => RestoreHoles(r, holes))],
            Writes = [.. summary.Writes.Select(w => w with { Table = RestoreHoles(w.Table, holes) })],
            TempViews = [.. summary.TempViews.Select(v => RestoreHoles(v, holes))],
            Use = summary.Use is null ? null : RestoreHoles(summary.Use, holes),
            Versions = summary.Versions.ToImmutableDictionary(v => RestoreHoles(v.Key, holes), v => v.Value, StringComparer.OrdinalIgnoreCase),
        };

    private DataFrameValue MergeFrames(IReadOnlyList<DataFrameValue> frames, int line, string op)
    {
        if (frames.Count == 1)
        {
            return frames[0];
        }

        var columns = ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty;
        foreach (var frame in frames)
        {
            columns = columns.SetItems(frame.Columns);
        }

        return Derive(frames[0], op, line, columns, [.. frames.SelectMany(f => f.OpenTables).Distinct()], others: frames.Skip(1));
    }

    private PyValue ReaderMethod(ReaderValue reader, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (method)
        {
            case "format":
                return reader with { Format = args.Text(0) };
            case "option":
                return args.Text(0) is { } key ? reader with { Options = reader.Options.SetItem(key.ToLowerInvariant(), args.Text(1) ?? "?") } : reader;
            case "options":
                return reader with { Options = reader.Options.SetItems(args.Keywords.Select(k => KeyValuePair.Create(k.Key.ToLowerInvariant(), (k.Value as ConstValue)?.AsText() ?? "?"))) };
            case "schema":
                return reader;
            case "table":
                var (named, namedConfidence) = TableName(args.At(0), line);
                return _job.ReadTable(named, line, _file, "spark.read.table", namedConfidence, null, Stamp, Version(reader.Options));
            case "load" or "parquet" or "csv" or "json" or "orc" or "text" or "delta" or "avro":
                var pathValue = args.At(0, "path") ?? (reader.Options.TryGetValue("path", out var p) ? new ConstValue(p) : null);
                var format = method == "load" ? reader.Format ?? "delta" : method;
                return ReadPath(pathValue, format, line, reader.Options);
            case "jdbc":
                var table = args.Text(1, "table") ?? reader.Options.GetValueOrDefault("dbtable") ?? "?";
                return _job.ReadTable("jdbc:" + table, line, _file, "jdbc", 1.0, null, Stamp);
            default:
                return reader;
        }
    }

    private PyValue ReadPath(PyValue? pathValue, string format, int line, ImmutableDictionary<string, string> options)
    {
        if (format == "jdbc" && options.TryGetValue("dbtable", out var dbtable))
        {
            return _job.ReadTable("jdbc:" + dbtable, line, _file, "jdbc", 1.0, null, Stamp);
        }

        // spark.read.csv(["a.csv", "b.csv"]): one read per path, one DataFrame.
        if (pathValue is ListValue { Items.Length: > 0 } paths)
        {
            return MergeFrames([.. paths.Items.Select(p => ReadPath(p, format, line, options)).OfType<DataFrameValue>()], line, "Union of files");
        }

        var (path, confidence) = TableName(pathValue, line);
        var table = Options.Mounts.ToTable(path) ?? "path:" + path;
        var frame = _job.ReadTable(table, line, _file, "spark.read." + format, confidence, path, Stamp, Version(options));
        if (format is "csv" or "json" && options.TryGetValue("mode", out var mode))
        {
            Add(new ExceptFact(string.Equals(mode, "DROPMALFORMED", StringComparison.OrdinalIgnoreCase), false, "bad records: mode=" + mode) { File = _file, Line = line });
        }

        return frame;
    }

    /// <summary>Delta time travel set on a reader: the same table, at a version.</summary>
    private static string? Version(ImmutableDictionary<string, string> options) =>
        options.TryGetValue("versionasof", out var version) ? "version " + version
        : options.TryGetValue("timestampasof", out var timestamp) ? "timestamp " + timestamp
        : null;

    private PyValue Filter(DataFrameValue frame, PyValue condition, PyNode node)
    {
        var column = condition is ConstValue { Value: string sql } ? ExpressionColumn(sql, node.Line) : condition is TextValue text ? ExpressionColumn(text.Render("${{{0}}}"), node.Line) : AsColumn(condition, node.Line);
        Add(new FilterFact(column.Sql, column.Refs) { File = _file, Line = node.Line });
        // Columns of the same name on both sides (a.id == b.id) collapse to one reference.
        // Only an equality is the join's own condition; a range filter after a cross join is the
        // bands-table pattern JN01 is about.
        if (frame.Step is { Kind: "join", JoinType: "cross" } && !column.Refs.IsEmpty && column.Sql.Contains(" = ", StringComparison.Ordinal))
        {
            // a.join(b).where(a.id == b.id): the condition of the join, written after it.
            var index = _job.Facts.FindLastIndex(f => f is JoinFact j && j.ResultFrameId == frame.Id);
            if (index >= 0)
            {
                _job.Facts[index] = ((JoinFact)_job.Facts[index]) with { ConditionInWhere = true };
            }
        }
        if (column.Has(ColumnTraits.Udf))
        {
            Add(new UdfFact(column.Sql, "udf", "filter") { File = _file, Line = node.Line });
        }

        var indirect = column.Refs.SelectMany(r => ResolveSources(frame, r)).Select(s => s with { Subtype = LineageSubtype.Filter });
        return Derive(frame, "Filter " + column.Sql, node.Line, indirect: indirect, add: FrameTraits.Filtered) with { Step = new FrameStep("filter", [], [], column.Sql) };
    }

    /// <summary>A Spark SQL expression string (selectExpr, expr, filter("...")): the columns it
    /// names are the identifiers that are not keywords, functions or inside quotes.</summary>
    private static ColumnValue ExpressionColumn(string sql, int line)
    {
        var refs = SqlExpressionScan.Identifiers(sql);
        var (body, alias) = SqlExpressionScan.SplitAlias(sql);
        var traits = ColumnTraits.Transformed;
        var lower = body.ToLowerInvariant();
        if (Aggregates.Any(a => lower.Contains(a.ToLowerInvariant() + "(", StringComparison.Ordinal)))
        {
            traits |= ColumnTraits.Aggregate;
        }

        if (lower.Contains(" over", StringComparison.Ordinal))
        {
            traits |= ColumnTraits.Window;
        }

        if (MaskingFunctions.Any(m => lower.Contains(m + "(", StringComparison.Ordinal)))
        {
            traits |= ColumnTraits.Masking;
        }

        if (refs.Count == 1 && string.Equals(body.Trim().Trim('`'), refs.First(), StringComparison.OrdinalIgnoreCase))
        {
            traits &= ~ColumnTraits.Transformed;
        }

        var name = alias ?? (refs.Count == 1 && (traits & ColumnTraits.Transformed) == 0 ? refs.First() : null);
        return new ColumnValue(body, [.. refs], traits, name, line);
    }
}
