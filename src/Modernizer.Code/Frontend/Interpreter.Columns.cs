using System.Collections.Immutable;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

internal sealed partial class Interpreter
{
    private PyValue SparkFunction(string name, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (name)
        {
            case "col" or "column":
                return ColumnValue.Ref(args.Text(0) ?? "?", line);
            case "lit" or "typedLit":
                return AsColumn(args.At(0) ?? ConstValue.None, line);
            case "expr":
                return ExpressionColumn(args.Text(0) ?? (args.At(0) as TextValue)?.Render("${{{0}}}") ?? "?", line);
            case "when":
                var condition = AsColumn(args.At(0) ?? ConstValue.None, line);
                var value = ToColumnLiteral(args.At(1), line);
                return condition.Derived($"CASE WHEN {condition.Sql} THEN {value.Sql} END", ColumnTraits.None, value);
            case "udf" or "pandas_udf" or "UserDefinedFunction":
                var function = args.At(0, "f") as FunctionValue;
                var udfName = function?.Name ?? "lambda";
                Add(new UdfFact(udfName, name == "pandas_udf" ? "pandas_udf" : "udf", "definition") { File = _file, Line = line });
                if (function is not null)
                {
                    WalkRowFunction(function);
                }

                return new UdfValue(udfName, line, name == "pandas_udf");
            case "broadcast":
                return args.At(0) ?? ConstValue.None;
            case "desc" or "asc" or "desc_nulls_last" or "asc_nulls_first":
                var sorted = ToColumn(args.At(0) ?? ConstValue.None, line);
                return sorted with { Sql = sorted.Sql + (name.StartsWith("desc", StringComparison.Ordinal) ? " DESC" : " ASC") };
            case "bround":
                var rounded = ToColumn(args.At(0) ?? ConstValue.None, line);
                Add(new ExpressionFact("round_half_even", $"bround({rounded.Sql})", "bround rounds half to even") { File = _file, Line = line });
                return rounded.Derived($"bround({rounded.Sql}, {args.Text(1) ?? "0"})", ColumnTraits.None);
        }

        var traits = Aggregates.Contains(name) ? ColumnTraits.Aggregate
            : WindowFunctions.Contains(name) ? ColumnTraits.Window
            : MaskingFunctions.Contains(name) ? ColumnTraits.Masking
            : ColumnTraits.None;
        var columns = new List<ColumnValue>();
        for (var i = 0; i < args.Positional.Length; i++)
        {
            var arg = args.Positional[i];
            var isColumnName = arg is ConstValue { Value: string } && (i == 0 || AllColumnArguments.Contains(name)) && name is not ("concat_ws" or "format_string" or "to_date" and not "to_date");
            columns.Add(isColumnName && !(name is "concat_ws" or "format_string" && i == 0) ? ToColumn(arg, line) : ToColumnLiteral(arg, line));
        }

        if (name is "to_date" or "to_timestamp" or "date_format" && columns.Count > 0 && args.At(0) is ConstValue { Value: string })
        {
            columns[0] = ToColumn(args.At(0)!, line);
        }

        var sql = name + "(" + string.Join(", ", columns.Select(c => c.Sql)) + ")";
        if (columns.Count == 0)
        {
            return new ColumnValue(sql, [], traits | ColumnTraits.Transformed, null, line);
        }

        return columns[0].Derived(sql, traits, [.. columns.Skip(1)]);
    }

    /// <summary>A UDF body runs once per row: its parameters are row fields.</summary>
    private void WalkRowFunction(FunctionValue function)
    {
        if (!_called.Add(function.Name) && _walkedUdfs.Contains(function.Name))
        {
            return;
        }

        _walkedUdfs.Add(function.Name);
        var parameters = function.Definition.Node("args")?.Nodes("args") ?? [];
        var taint = new Taint(["{row}"], [], false);
        var values = parameters.Select(p => (PyValue)new DriverDataValue("field " + p.Str("arg"), taint, null, false, function.Definition.Line)).ToImmutableArray();
        CallUser(function, values, ImmutableDictionary<string, PyValue>.Empty, function.Definition.Line);
    }

    private static ColumnValue ToColumnLiteral(PyValue? value, int line) => value switch
    {
        ColumnValue column => column,
        null => ColumnValue.Literal("NULL", line),
        _ => AsColumn(value, line),
    };

    private PyValue ColumnMethod(ColumnValue column, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (method)
        {
            case "alias" or "name" or "as_":
                return column with { Name = (args.Text(0) ?? column.Name)?.ToLowerInvariant() };
            case "cast" or "astype":
                var type = args.Text(0) ?? "?";
                return column.Derived($"CAST({column.Sql} AS {type.ToUpperInvariant()})", ColumnTraits.None) with { Name = column.Name };
            case "isin":
                var items = args.Positional.SelectMany(a => a is ListValue l ? l.Items : [a]).Select(a => AsColumn(a, line)).ToArray();
                return column.Derived($"({column.Sql} IN ({string.Join(", ", items.Select(i => i.Sql))}))", ColumnTraits.None, items);
            case "isNull" or "isNotNull" or "isnull" or "isnotnull":
                return column.Derived($"({column.Sql} IS {(method.Contains("Not", StringComparison.Ordinal) || method.Contains("not", StringComparison.Ordinal) ? "NOT " : string.Empty)}NULL)", ColumnTraits.None);
            case "between":
                var low = AsColumn(args.At(0) ?? ConstValue.None, line);
                var high = AsColumn(args.At(1) ?? ConstValue.None, line);
                Add(new ExpressionFact("range_between", $"{column.Sql} BETWEEN {low.Sql} AND {high.Sql}", high.Sql) { File = _file, Line = line });
                return column.Derived($"({column.Sql} BETWEEN {low.Sql} AND {high.Sql})", ColumnTraits.None, low, high);
            case "over":
                var window = args.At(0) as WindowValue ?? new WindowValue([], [], false);
                var partition = window.PartitionBy.IsEmpty ? string.Empty : "PARTITION BY " + string.Join(", ", window.PartitionBy.Select(p => p.Sql));
                var order = window.OrderBy.IsEmpty ? string.Empty : " ORDER BY " + string.Join(", ", window.OrderBy.Select(p => p.Sql));
                var sql = $"{column.Sql} OVER ({partition}{order})".Replace("( ", "(", StringComparison.Ordinal);
                Add(new WindowFact(!window.PartitionBy.IsEmpty, sql) { File = _file, Line = line });
                return column.Derived(sql, ColumnTraits.Window, [.. window.PartitionBy, .. window.OrderBy]) with { Traits = (column.Traits | ColumnTraits.Window | ColumnTraits.Transformed) & ~ColumnTraits.Aggregate };
            case "desc" or "asc" or "desc_nulls_last" or "asc_nulls_first" or "asc_nulls_last" or "desc_nulls_first":
                return column with { Sql = column.Sql + (method.StartsWith("desc", StringComparison.Ordinal) ? " DESC" : " ASC") };
            case "when":
                var condition = AsColumn(args.At(0) ?? ConstValue.None, line);
                var value = ToColumnLiteral(args.At(1), line);
                return column.Derived(InsertBeforeEnd(column.Sql, $" WHEN {condition.Sql} THEN {value.Sql}"), ColumnTraits.None, condition, value);
            case "otherwise":
                var fallback = ToColumnLiteral(args.At(0), line);
                return column.Derived(InsertBeforeEnd(column.Sql, $" ELSE {fallback.Sql}"), ColumnTraits.None, fallback);
            case "eqNullSafe":
                var other = AsColumn(args.At(0) ?? ConstValue.None, line);
                return column.Derived($"({column.Sql} <=> {other.Sql})", ColumnTraits.None, other);
            default:
                var operands = args.Positional.Select(a => AsColumn(a, line)).ToArray();
                return column.Derived($"{method}({string.Join(", ", new[] { column.Sql }.Concat(operands.Select(o => o.Sql)))})", ColumnTraits.None, operands);
        }
    }

    private static string InsertBeforeEnd(string sql, string clause) =>
        sql.EndsWith(" END", StringComparison.Ordinal) ? sql[..^4] + clause + " END" : sql + clause;

    private PyValue WindowMethod(WindowValue window, string method, CallArgs args, int line)
    {
        var columns = args.Positional.SelectMany(a => a is ListValue l ? l.Items : [a]).Select(a => ToColumn(a, line)).ToImmutableArray();
        return method switch
        {
            "partitionBy" => window with { PartitionBy = window.PartitionBy.AddRange(columns) },
            "orderBy" => window with { OrderBy = window.OrderBy.AddRange(columns) },
            "rowsBetween" or "rangeBetween" => window with { HasFrame = true },
            _ => window,
        };
    }

    private PyValue DeltaTableOpen(string member, CallArgs args, int line)
    {
        switch (member)
        {
            case "forName":
                var (table, _) = TableName(args.At(1, "tableOrViewName"), line);
                return new DeltaTableValue(table, line);
            case "forPath":
                var (path, _) = TableName(args.At(1, "path"), line);
                return new DeltaTableValue(Options.Mounts.ToTable(path) ?? "path:" + path, line);
            case "create" or "createIfNotExists" or "createOrReplace" or "replace":
                return new DeltaBuilderValue(member, null, null, []);
            default:
                return new UnknownValue("DeltaTable." + member, Taint.None);
        }
    }

    /// <summary>The Delta table builder: execute() creates the table (a write of an empty table).</summary>
    private PyValue DeltaBuilderMethod(DeltaBuilderValue builder, string method, CallArgs args, PyNode node)
    {
        switch (method)
        {
            case "tableName":
                return builder with { Name = args.At(0, "identifier") };
            case "location":
                return builder with { Location = args.At(0, "location") };
            case "partitionedBy":
                return builder with { PartitionBy = [.. ColumnsOf(args, node.Line).Select(OutputName)] };
            case "execute":
                var (name, confidence) = builder.Name is not null ? TableName(builder.Name, node.Line) : TableName(builder.Location, node.Line);
                var table = builder.Name is not null ? name : Options.Mounts.ToTable(name) ?? "path:" + name;
                Add(new WriteFact(table, "DeltaTable." + builder.Mode, builder.Mode is "createOrReplace" or "replace" ? "overwrite" : "create", "delta", builder.PartitionBy, false, UnresolvedFrame("new empty table", node.Line), confidence) { File = _file, Line = node.Line });
                return new DeltaTableValue(table, node.Line);
            default:
                return builder;
        }
    }

    private PyValue DeltaTableMethod(DeltaTableValue table, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        switch (method)
        {
            case "alias":
                return table;
            case "toDF":
                return _job.ReadTable(table.Table, line, _file, "DeltaTable.toDF", 1.0, null, Stamp);
            case "merge":
                var source = args.At(0, "source") as DataFrameValue;
                var condition = args.At(1, "condition") switch
                {
                    ColumnValue c => c.Sql,
                    ConstValue { Value: string s } => s,
                    TextValue t => t.Render(),
                    _ => "?",
                };
                return source is null ? new UnknownValue("merge", Taint.None) : new MergeValue(table.Table, source, null, [], line) with { Clauses = [$"ON {condition}"] };
            case "update" or "updateExpr" or "delete":
                var target = _job.ReadTable(table.Table, line, _file, "DeltaTable." + method, 1.0, null, Stamp);
                Add(new WriteFact(table.Table, "DeltaTable." + method, method == "delete" ? "delete" : "update", "delta", [], true, target, 1.0) { File = _file, Line = line });
                return ConstValue.None;
            default:
                return new UnknownValue("DeltaTable." + method, Taint.None);
        }
    }

    private PyValue MergeMethod(MergeValue merge, string method, CallArgs args, PyNode node)
    {
        if (method != "execute")
        {
            var assignments = (args.At(0, method.Contains("Insert", StringComparison.Ordinal) ? "values" : "set") ?? args.At(1, "set")) as DictValue;
            var detail = assignments is null ? string.Empty : " " + string.Join(", ", assignments.Items.Keys.Order(StringComparer.Ordinal));
            var clause = method + detail;
            var source = merge.Source;
            if (assignments is not null)
            {
                var columns = source.Columns;
                foreach (var (target, value) in assignments.Items)
                {
                    var column = value is ConstValue { Value: string sql } ? ExpressionColumn(sql, node.Line) : AsColumn(value, node.Line);
                    columns = columns.SetItem(StripAlias(target), [.. column.Refs.SelectMany(r => ResolveSources(source, StripAlias(r)))]);
                }

                source = source with { Columns = columns };
            }

            return merge with { Source = source, Clauses = merge.Clauses.Add(clause) };
        }

        var line = node.Line;
        var condition = merge.Clauses.FirstOrDefault() ?? string.Empty;
        Add(new MergeFact(merge.Target, condition, merge.Clauses.RemoveAt(0)) { File = _file, Line = line });
        Add(new WriteFact(merge.Target, "merge", "merge", "delta", [], true, merge.Source, 1.0) { File = _file, Line = line });
        return ConstValue.None;
    }

    private static string StripAlias(string name)
    {
        var dot = name.LastIndexOf('.');
        return (dot < 0 ? name : name[(dot + 1)..]).Trim('`').ToLowerInvariant();
    }

    /// <summary>collect() of an RDD brings its rows to the driver as a DataFrame's would.</summary>
    private DriverDataValue RddAction(RddValue rdd, string method, PyNode node)
    {
        Add(new ActionFact(method, rdd.Frame, method == "take" || rdd.Frame.Has(FrameTraits.Limited)) { File = _file, Line = CallLine(node) });
        return new DriverDataValue("rdd." + method + "()", new Taint(rdd.Frame.Sources, Columns(rdd.Frame), false), rdd.Frame, true, node.Line);
    }

    private PyValue RddMethod(RddValue rdd, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        if (method is not ("getNumPartitions" or "id" or "name" or "setName" or "toDebugString" or "getStorageLevel" or "context" or "isEmpty"))
        {
            Add(new RddFact(method) { File = _file, Line = line });
        }

        if (method is "map" or "flatMap" or "mapPartitions" or "foreach" or "filter" or "reduceByKey" or "mapValues" or "foreachPartition")
        {
            Add(new UdfFact(method, "rdd", "row function") { File = _file, Line = line });
        }

        return method switch
        {
            "toDF" => Derive(rdd.Frame, "RDD.toDF", line, ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty, rdd.Frame.OpenTables.IsEmpty ? [.. rdd.Frame.Sources] : rdd.Frame.OpenTables),
            "collect" or "take" or "toLocalIterator" => RddAction(rdd, method, node),
            "count" => new DriverDataValue("rdd.count()", new Taint(rdd.Frame.Sources, [], false), null, false, line),
            _ => rdd,
        };
    }
}
