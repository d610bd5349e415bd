using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

internal sealed partial class Interpreter
{
    private PyValue FrameMethod(DataFrameValue frame, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (method)
        {
            case "select":
                return Project(frame, [.. ColumnsOf(args, line)], line, "Project");
            case "selectExpr":
                var expressions = args.Positional.SelectMany(a => a is ListValue l ? l.Items : [a])
                    .Select(a => a is ConstValue { Value: string s } ? ExpressionColumn(s, line) : a is TextValue t ? ExpressionColumn(t.Render(), line) : AsColumn(a, line))
                    .Select(c => c.Sql == "*" ? c with { Traits = ColumnTraits.Star } : c)
                    .ToImmutableArray();
                return Project(frame, expressions, line, "Project(selectExpr)");
            case "withColumn":
                var name = (args.Text(0, "colName") ?? "?").ToLowerInvariant();
                var column = ToColumnOrExpression(args.At(1, "col"), line);
                Add(new FrameOpFact("withColumn", frame) { File = _file, Line = line });
                return WithColumns(frame, [(name, column)], line);
            case "withColumns":
                var pairs = (args.At(0) as DictValue)?.Items.Select(kv => (kv.Key.ToLowerInvariant(), ToColumnOrExpression(kv.Value, line))).ToArray() ?? [];
                Add(new FrameOpFact("withColumns", frame) { File = _file, Line = line });
                return WithColumns(frame, pairs, line);
            case "withColumnRenamed":
                Add(new FrameOpFact("withColumnRenamed", frame) { File = _file, Line = line });
                return Rename(frame, args.Text(0) ?? "?", args.Text(1) ?? "?", line);
            case "withColumnsRenamed":
                Add(new FrameOpFact("withColumnsRenamed", frame) { File = _file, Line = line });
                return (args.At(0) as DictValue)?.Items.Aggregate(frame, (f, kv) => Rename(f, kv.Key, (kv.Value as ConstValue)?.AsText() ?? "?", line)) ?? frame;
            case "drop":
                Add(new FrameOpFact("drop", frame) { File = _file, Line = line });
                var dropped = ColumnsOf(args, line).Select(OutputName).ToArray();
                return Derive(frame, "Drop " + string.Join(", ", dropped), line, frame.Columns.RemoveRange(dropped)) with { Step = new FrameStep("drop", [.. dropped], []) };
            case "filter" or "where":
                return Filter(frame, args.At(0, "condition") ?? ConstValue.None, node);
            case "join":
                return Join(frame, args.At(0, "other") as DataFrameValue, args.At(1, "on"), args.Text(2, "how") ?? "inner", node);
            case "crossJoin":
                return Join(frame, args.At(0) as DataFrameValue, null, "cross", node);
            case "groupBy" or "groupby" or "rollup" or "cube":
                return new GroupedValue(frame, [.. ColumnsOf(args, line)], method, line);
            case "agg":
                return Aggregate(new GroupedValue(frame, [], "global", line), args, line);
            case "union" or "unionAll" or "unionByName":
                Add(new FrameOpFact("union", frame) { File = _file, Line = line });
                return args.At(0) is DataFrameValue other ? Union(frame, other, line) : frame;
            case "exceptAll" or "subtract" or "intersect" or "intersectAll":
                return args.At(0) is DataFrameValue second ? Derive(frame, method, line, others: [second]) : frame;
            case "distinct":
                return Derive(frame, "Distinct", line, add: FrameTraits.Deduplicated) with { Step = FrameStep.Of("distinct") };
            case "dropDuplicates" or "drop_duplicates" or "dropDuplicatesWithinWatermark":
                return Derive(frame, "Deduplicate", line, add: FrameTraits.Deduplicated) with { Step = new FrameStep("distinct", [], [.. ColumnsOf(args, line).Select(OutputName)]) };
            case "orderBy" or "sort" or "sortWithinPartitions":
                var keys = ColumnsOf(args, line).ToArray();
                return Derive(frame, "Sort " + string.Join(", ", keys.Select(k => k.Sql)), line,
                    indirect: keys.SelectMany(k => SourcesOf(frame, k)).Select(s => s with { Subtype = LineageSubtype.Sort })) with
                { Step = FrameStep.Of("sort", [.. keys.Select(k => k.Sql)]) };
            case "limit" or "offset":
                return Derive(frame, "Limit " + (args.Text(0) ?? "?"), line, add: FrameTraits.Limited) with { Step = new FrameStep("limit", [], [], args.Text(0)) };
            case "alias" or "hint" or "withWatermark" or "to" or "observe":
                return frame;
            case "cache" or "persist" or "checkpoint" or "localCheckpoint":
                Add(new FrameOpFact(method, frame) { File = _file, Line = line });
                return frame with { Traits = frame.Traits | FrameTraits.Cached };
            case "unpersist":
                return frame;
            case "repartition" or "coalesce" or "repartitionByRange":
                var partitions = args.At(0) is ConstValue { Value: long n } ? (int?)n : null;
                Add(new RepartitionFact(method, partitions, frame) { File = _file, Line = line });
                return frame with { Traits = partitions == 1 ? frame.Traits | FrameTraits.SinglePartition : frame.Traits & ~FrameTraits.SinglePartition };
            case "toJSON":
                // An RDD of JSON strings, still distributed: nothing reaches the driver yet.
                return new RddValue(frame);
            case "collect" or "take" or "head" or "first" or "tail" or "toPandas" or "toLocalIterator":
                // An aggregate is as small as its groups: a summary, not the data.
                var bounded = frame.Has(FrameTraits.Limited) || frame.Has(FrameTraits.SingleRow) || frame.Has(FrameTraits.Aggregated) || method is "take" or "head" or "first" or "tail";
                Add(new ActionFact(method, frame, bounded) { File = _file, Line = CallLine(node) });
                var isSequence = method is "collect" or "toPandas" or "toLocalIterator" or "toJSON" or "tail" || (method is "take" or "head" && args.Positional.Length > 0);
                return new DriverDataValue(method + "()", new Taint(frame.Sources, Columns(frame), false), frame, isSequence, line);
            case "count" or "isEmpty":
                Add(new ActionFact(method, frame, true) { File = _file, Line = line });
                return new DriverDataValue(method + "()", new Taint(frame.Sources, [], false), null, false, line);
            case "show" or "foreach" or "foreachPartition" or "describe" or "summary":
                Add(new ActionFact(method, frame, method is "show" or "describe" or "summary") { File = _file, Line = line });
                if (method is "foreach" or "foreachPartition")
                {
                    Add(new UdfFact(method, "foreach", "row function") { File = _file, Line = line });
                }

                return method is "describe" or "summary" ? frame : ConstValue.None;
            case "createOrReplaceTempView" or "createTempView" or "registerTempTable" or "createGlobalTempView" or "createOrReplaceGlobalTempView":
                var view = args.Text(0) ?? "view";
                _job.TempViews[view] = frame;
                _job.TempViews["global_temp." + view] = frame;
                Add(new TempViewFact(view) { File = _file, Line = line });
                return ConstValue.None;
            case "transform" when args.At(0) is FunctionValue function:
                return CallUser(function, [frame, .. args.Positional.Skip(1)], args.Keywords, line);
            case "writeTo":
                return new WriterValue(frame, null, "delta", [], ImmutableDictionary<string, string>.Empty.Add("table", args.Text(0) ?? "?"), line);
            case "mapInPandas" or "applyInPandas":
                Add(new UdfFact(method, "pandas", "row function") { File = _file, Line = line });
                return Derive(frame, method, line, open: frame.OpenTables);
            case "toDF":
                return frame;
            default:
                return Derive(frame, method, line);
        }
    }

    /// <summary>The line of the method name in a call (<c>.collect()</c> at the end of a chain
    /// spanning several lines), not the first line of the statement.</summary>
    private static int CallLine(PyNode call) =>
        call.Node("func") is { Kind: "Attribute" } member && member.Span.EndLine > 0 ? member.Span.EndLine : call.Line;

    private static ImmutableHashSet<ColumnRef> Columns(DataFrameValue frame) =>
        frame.Columns.Values.SelectMany(s => s).Select(s => s.Column).Concat(frame.OpenTables.Select(t => new ColumnRef(t, "*"))).ToImmutableHashSet();

    private ColumnValue ToColumnOrExpression(PyValue? value, int line) => value switch
    {
        ColumnValue column => column,
        null => ColumnValue.Literal("NULL", line),
        _ => AsColumn(value, line),
    };

    private DataFrameValue Project(DataFrameValue frame, ImmutableArray<ColumnValue> columns, int line, string op)
    {
        var map = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<ColumnSource>>();
        var keepOpen = false;
        foreach (var column in columns)
        {
            if (column.Has(ColumnTraits.Star))
            {
                map.AddRange(frame.Columns.Where(kv => !map.ContainsKey(kv.Key)));
                keepOpen = true;
                continue;
            }

            map[OutputName(column)] = SourcesOf(frame, column);
            if (column.Has(ColumnTraits.Masking))
            {
                Add(new MaskFact(OutputName(column), column.Sql) { File = _file, Line = line });
            }
        }

        var aggregated = columns.Any(c => c.Has(ColumnTraits.Aggregate) && !c.Has(ColumnTraits.Window));
        var expressions = columns.Select(c => c.Name is { } n && n != c.Sql ? c.Sql + " AS " + n : c.Sql).ToImmutableArray();
        return Derive(frame, op + " " + string.Join(", ", expressions), line,
            map.ToImmutable(), keepOpen ? frame.OpenTables : [], add: aggregated ? FrameTraits.Aggregated | FrameTraits.SingleRow : FrameTraits.None)
            with
        { Step = aggregated ? new FrameStep("aggregate", expressions, []) : new FrameStep("project", expressions, []) };
    }

    private DataFrameValue WithColumns(DataFrameValue frame, IReadOnlyList<(string Name, ColumnValue Column)> columns, int line)
    {
        var map = frame.Columns;
        foreach (var (name, column) in columns)
        {
            map = map.SetItem(name, SourcesOf(frame, column));
            if (column.Has(ColumnTraits.Masking) || column.Has(ColumnTraits.Literal))
            {
                Add(new MaskFact(name, column.Sql) { File = _file, Line = line });
            }
        }

        return Derive(frame, "WithColumn " + string.Join(", ", columns.Select(c => c.Name + " = " + c.Column.Sql)), line, map)
            with
        { Step = new FrameStep("with_columns", [.. columns.Select(c => c.Column.Sql + " AS " + c.Name)], []) };
    }

    private DataFrameValue Rename(DataFrameValue frame, string from, string to, int line)
    {
        var key = from.ToLowerInvariant();
        var sources = frame.Columns.TryGetValue(key, out var known) ? known : [.. ResolveSources(frame, key)];
        return Derive(frame, $"Rename {from} -> {to}", line, frame.Columns.Remove(key).SetItem(to.ToLowerInvariant(), sources))
            with
        { Step = new FrameStep("rename", [from, to], []) };
    }

    private PyValue Join(DataFrameValue left, DataFrameValue? right, PyValue? on, string how, PyNode node)
    {
        var line = node.Line;
        if (right is null)
        {
            return left;
        }

        var joinType = how.ToLowerInvariant().Replace("_", string.Empty, StringComparison.Ordinal) switch
        {
            "left" or "leftouter" => "left",
            "right" or "rightouter" => "right",
            "full" or "outer" or "fullouter" => "full",
            "leftsemi" or "semi" => "left_semi",
            "leftanti" or "anti" => "left_anti",
            "cross" => "cross",
            _ => "inner",
        };
        var keys = ImmutableArray<string>.Empty;
        string? condition = null;
        var indirect = new List<ColumnSource>();
        switch (on)
        {
            case ConstValue { Value: string key }:
                keys = [key.ToLowerInvariant()];
                break;
            case TextValue { IsKnown: true } text:
                keys = [text.Render().ToLowerInvariant()];
                break;
            case ListValue list when list.Items.All(i => i is ConstValue { Value: string }):
                keys = [.. list.Items.Select(i => ((ConstValue)i).AsText()!.ToLowerInvariant())];
                break;
            case ListValue list:
                var parts = list.Items.Select(i => AsColumn(i, line)).ToArray();
                condition = string.Join(" AND ", parts.Select(p => p.Sql));
                indirect.AddRange(parts.SelectMany(p => p.Refs).SelectMany(r => ResolveSources(left, r).Concat(ResolveSources(right, r))));
                break;
            case ColumnValue column:
                condition = column.Sql;
                indirect.AddRange(column.Refs.SelectMany(r => ResolveSources(left, r).Concat(ResolveSources(right, r))));
                break;
        }

        foreach (var key in keys)
        {
            indirect.AddRange(ResolveSources(left, key).Concat(ResolveSources(right, key)));
        }

        var hasCondition = !keys.IsEmpty || condition is not null;
        if (!hasCondition && joinType != "cross")
        {
            joinType = "cross";
        }

        var conditionColumns = on switch
        {
            ColumnValue c => c.Refs,
            ListValue l => [.. l.Items.OfType<ColumnValue>().SelectMany(c => c.Refs)],
            _ => ImmutableHashSet<string>.Empty,
        };

        var columns = left.Columns;
        if (joinType is not ("left_semi" or "left_anti"))
        {
            foreach (var (name, sources) in right.Columns)
            {
                columns = keys.Contains(name) && columns.TryGetValue(name, out var existing) ? columns.SetItem(name, existing.Union(sources)) : columns.ContainsKey(name) ? columns : columns.SetItem(name, sources);
            }
        }

        var open = joinType is "left_semi" or "left_anti" ? left.OpenTables : left.OpenTables.AddRange(right.OpenTables.Where(t => !left.OpenTables.Contains(t)));
        var label = $"Join {joinType}" + (keys.IsEmpty ? condition is null ? string.Empty : " ON " + condition : " USING (" + string.Join(", ", keys) + ")");
        var joined = Derive(left, label, line, columns, open, indirect.Select(s => s with { Subtype = LineageSubtype.Join }), others: [right])
            with
        { Step = new FrameStep("join", [], keys, condition, joinType) };
        Add(new JoinFact(joinType, keys, condition, hasCondition, left, right)
        {
            File = _file,
            Line = line,
            ConditionColumns = [.. keys.Concat(conditionColumns.Select(StripAlias))],
            ConditionLine = on is ColumnValue cv && cv.Line > 0 ? cv.Line : line,
            ResultFrameId = joined.Id,
            Explicit = how == "cross",
        });
        return joined;
    }

    private DataFrameValue Union(DataFrameValue first, DataFrameValue second, int line)
    {
        var columns = first.Columns;
        foreach (var (name, sources) in second.Columns)
        {
            columns = columns.TryGetValue(name, out var existing) ? columns.SetItem(name, existing.Union(sources)) : columns;
        }

        return Derive(first, "Union", line, columns, [.. first.OpenTables.Union(second.OpenTables)], others: [second]) with { Step = FrameStep.Of("union") };
    }

    private PyValue GroupedMethod(GroupedValue grouped, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (method)
        {
            case "agg":
                return Aggregate(grouped, args, line);
            case "count":
                return Aggregate(grouped, new CallArgs([new ColumnValue("count(1)", [], ColumnTraits.Aggregate | ColumnTraits.Transformed, "count", line)], ImmutableDictionary<string, PyValue>.Empty, []), line);
            case "sum" or "avg" or "mean" or "max" or "min":
                var columns = args.Positional.Select(a => ToColumn(a, line)).Select(c => c.Derived($"{method}({c.Sql})", ColumnTraits.Aggregate) with { Name = $"{method}({c.Name ?? c.Sql})" }).Cast<PyValue>().ToImmutableArray();
                return Aggregate(grouped, new CallArgs(columns, ImmutableDictionary<string, PyValue>.Empty, []), line);
            case "pivot":
                return grouped with { Kind = "pivot" };
            case "applyInPandas" or "apply":
                Add(new UdfFact(method, "pandas", "grouped row function") { File = _file, Line = line });
                return Derive(grouped.Frame, method, line, add: FrameTraits.Aggregated);
            default:
                return grouped;
        }
    }

    private PyValue Aggregate(GroupedValue grouped, CallArgs args, int line)
    {
        var frame = grouped.Frame;
        var aggregates = new List<ColumnValue>();
        if (args.At(0) is DictValue dict)
        {
            aggregates.AddRange(dict.Items.Select(kv => ColumnValue.Ref(kv.Key, line).Derived($"{(kv.Value as ConstValue)?.AsText()}({kv.Key})", ColumnTraits.Aggregate) with { Name = $"{(kv.Value as ConstValue)?.AsText()}({kv.Key})" }));
        }
        else
        {
            aggregates.AddRange(ColumnsOf(args, line));
        }

        var map = ImmutableDictionary.CreateBuilder<string, ImmutableHashSet<ColumnSource>>();
        foreach (var key in grouped.Keys)
        {
            map[OutputName(key)] = SourcesOf(frame, key);
        }

        foreach (var aggregate in aggregates)
        {
            map[OutputName(aggregate)] = [.. SourcesOf(frame, aggregate).Select(s => s with { Subtype = LineageSubtype.Aggregation })];
        }

        var keyNames = grouped.Keys.Select(k => k.Sql).ToImmutableArray();
        Add(new AggregateFact(keyNames, [.. aggregates.Select(a => a.Name is { } n && n != a.Sql ? a.Sql + " AS " + n : a.Sql)]) { File = _file, Line = line });
        var indirect = grouped.Keys.SelectMany(k => SourcesOf(frame, k)).Select(s => s with { Subtype = LineageSubtype.GroupBy });
        var traits = FrameTraits.Aggregated | (grouped.Keys.IsEmpty ? FrameTraits.SingleRow : FrameTraits.None);
        var outputs = grouped.Keys.Select(k => k.Sql).Concat(aggregates.Select(a => a.Name is { } n && n != a.Sql ? a.Sql + " AS " + n : a.Sql)).ToImmutableArray();
        return Derive(frame, $"Aggregate [{string.Join(", ", keyNames)}] {string.Join(", ", aggregates.Select(a => a.Sql))}", line, map.ToImmutable(), [], indirect, traits)
            with
        { Step = new FrameStep("aggregate", outputs, keyNames) };
    }

    private PyValue WriterMethod(WriterValue writer, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (method)
        {
            case "mode":
                return writer with { Mode = args.Text(0, "saveMode")?.ToLowerInvariant() };
            case "format":
                return writer with { Format = args.Text(0)?.ToLowerInvariant() };
            case "partitionBy":
                return writer with { PartitionBy = [.. ColumnsOf(args, line).Select(OutputName)] };
            case "option":
                return args.Text(0) is { } key ? writer with { Options = writer.Options.SetItem(key.ToLowerInvariant(), args.Text(1) ?? "?") } : writer;
            case "options":
                return writer with { Options = writer.Options.SetItems(args.Keywords.Select(k => KeyValuePair.Create(k.Key.ToLowerInvariant(), (k.Value as ConstValue)?.AsText() ?? "?"))) };
            case "bucketBy" or "sortBy" or "outputMode" or "trigger" or "queryName" or "using" or "tableProperty" or "partitionedBy":
                return method == "partitionedBy" ? writer with { PartitionBy = [.. ColumnsOf(args, line).Select(OutputName)] } : writer;
            case "saveAsTable" or "toTable":
                var (table, confidence) = TableName(args.At(0, "name"), line);
                return Write(writer with { Mode = args.Text(2, "mode") ?? writer.Mode, Format = args.Text(1, "format") ?? writer.Format }, table, method, confidence, line);
            case "insertInto":
                var (into, intoConfidence) = TableName(args.At(0, "tableName"), line);
                var overwrite = args.At(1, "overwrite") is ConstValue { Value: true };
                return Write(writer with { Mode = overwrite ? "overwrite" : writer.Mode ?? "append" }, into, method, intoConfidence, line);
            case "save" or "parquet" or "csv" or "json" or "orc" or "text" or "start" or "delta":
                var pathValue = args.At(0, "path") ?? (writer.Options.TryGetValue("path", out var p) ? new ConstValue(p) : null);
                var (path, pathConfidence) = TableName(pathValue, line);
                var target = Options.Mounts.ToTable(path) ?? "path:" + path;
                return Write(writer with { Mode = args.Text(1, "mode") ?? writer.Mode, Format = method is "save" or "start" ? writer.Format : method }, target, method, pathConfidence, line);
            case "append" or "overwrite" or "overwritePartitions" or "create" or "createOrReplace" or "replace":
                var v2 = writer.Options.GetValueOrDefault("table") ?? "?";
                var mode = method switch { "append" => "append", "create" => "create", _ => "overwrite" };
                var filtered = method is "overwritePartitions" || (method == "overwrite" && args.Positional.Length > 0);
                return Write(writer with { Mode = mode, Options = filtered ? writer.Options.SetItem("replacewhere", "condition") : writer.Options }, StripQuotes(v2), "writeTo." + method, 1.0, line);
            default:
                return writer;
        }
    }

    private PyValue Write(WriterValue writer, string table, string method, double confidence, int line)
    {
        var hasFilter = writer.Options.ContainsKey("replacewhere") || writer.Options.ContainsKey("partitionoverwritemode");
        Add(new WriteFact(table, method, writer.Mode ?? "errorifexists", writer.Format, writer.PartitionBy, hasFilter, writer.Frame, confidence) { File = _file, Line = line });
        return ConstValue.None;
    }
}
