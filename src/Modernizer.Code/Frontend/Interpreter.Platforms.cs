using System.Collections.Immutable;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

/// <summary>Where PySpark runs besides a plain SparkSession: Delta Live Tables pipelines
/// (datasets are functions) and AWS Glue jobs (GlueContext, DynamicFrames and transforms).</summary>
internal sealed partial class Interpreter
{
    private static readonly HashSet<string> GlueTransforms = new(StringComparer.Ordinal)
    {
        "ApplyMapping", "ResolveChoice", "DropNullFields", "DropFields", "SelectFields", "RenameField", "Filter", "Map",
        "Join", "Relationalize", "Unbox", "UnnestFrame", "SplitFields", "SplitRows", "Spigot", "FillMissingValues",
        "FlatMap", "Repartition", "ErrorsAsDynamicFrame", "DropDuplicates", "Union", "SelectFromCollection",
    };

    private sealed record DltDatasetInfo(string Name, bool IsView, string Mode, ImmutableArray<string> PartitionBy);

    /// <summary>The dataset a DLT decorator declares: <c>@dlt.table(name=...)</c>,
    /// <c>@dlt.view</c>, <c>@dlt.append_flow(target=...)</c>; the function name when unnamed.</summary>
    private DltDatasetInfo? DltDataset(ImmutableArray<PyNode> decorators, string functionName)
    {
        foreach (var decorator in decorators)
        {
            var callee = decorator.Is("Call") ? decorator.Node("func")! : decorator;
            var dotted = Dotted(callee) ?? string.Empty;
            var kind = dotted.StartsWith("dlt.", StringComparison.Ordinal) ? dotted[4..] : dotted.StartsWith("dp.", StringComparison.Ordinal) ? dotted[3..] : null;
            if (kind is not ("table" or "create_table" or "view" or "create_view" or "materialized_view" or "temporary_view" or "append_flow"))
            {
                continue;
            }

            string? named = null;
            var partitions = ImmutableArray<string>.Empty;
            if (decorator.Is("Call"))
            {
                foreach (var keyword in decorator.Nodes("keywords"))
                {
                    var value = Evaluate(keyword.Node("value"));
                    switch (keyword.Str("arg"))
                    {
                        case "name" or "target":
                            named = value switch
                            {
                                ConstValue c => c.AsText(),
                                TextValue t => t.Render(),
                                _ => null,
                            };
                            break;
                        case "partition_cols" when value is ListValue list:
                            partitions = [.. list.Items.OfType<ConstValue>().Select(c => c.AsText()!.ToLowerInvariant())];
                            break;
                    }
                }
            }

            var isView = kind is "view" or "create_view" or "temporary_view";
            return new DltDatasetInfo(StripLive(named ?? functionName), isView, kind == "append_flow" ? "append" : "overwrite", partitions);
        }

        return null;
    }

    /// <summary>A DLT dataset function runs when the pipeline updates: a table is a write of what
    /// it returns, a view a pipeline-internal temporary view.</summary>
    private void DefineDltDataset(FunctionValue function, DltDatasetInfo dataset, int line)
    {
        var result = CallUser(function, [], ImmutableDictionary<string, PyValue>.Empty, line);
        var frame = result as DataFrameValue ?? UnresolvedFrame("DLT dataset " + dataset.Name, line);
        if (dataset.IsView)
        {
            _job.TempViews[dataset.Name] = frame;
            Add(new TempViewFact(dataset.Name) { File = _file, Line = line });
            return;
        }

        _job.PipelineTables.Add(dataset.Name);
        Add(new WriteFact(dataset.Name.ToLowerInvariant(), "dlt." + (dataset.Mode == "append" ? "append_flow" : "table"), dataset.Mode, "delta", dataset.PartitionBy, false, frame, 1.0) { File = _file, Line = line });
    }

    /// <summary>A DataFrame the analysis could not follow (a view over it is not a table).</summary>
    private DataFrameValue UnresolvedFrame(string what, int line) =>
        new(_job.NextFrameId(), "Unresolved " + what, [], [], ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty, [], [], FrameTraits.None, line)
        {
            Step = new FrameStep("unresolved", [], [], what),
        };

    private static string StripLive(string name) =>
        name.StartsWith("live.", StringComparison.OrdinalIgnoreCase) ? name[5..] : name;

    private PyValue? DltCall(string member, CallArgs args, int line)
    {
        switch (member)
        {
            case "read" or "read_stream":
                var (name, confidence) = TableName(args.At(0, "name"), line);
                return _job.ReadTable(StripLive(name), line, _file, "dlt." + member, confidence, null, Stamp);
            case "apply_changes" or "create_auto_cdc_flow" or "apply_changes_from_snapshot" or "create_auto_cdc_from_snapshot_flow":
                var (target, targetConfidence) = TableName(args.At(0, "target"), line);
                var source = args.At(1, "source") is { } s and not ConstValue { Value: null } ? TableName(s, line).Table : null;
                var frame = source is null ? UnresolvedFrame("CDC source", line) : _job.ReadTable(StripLive(source), line, _file, "dlt." + member, 1.0, null, Stamp);
                _job.PipelineTables.Add(StripLive(target));
                Add(new WriteFact(StripLive(target), "dlt." + member, "merge", "delta", [], true, frame, targetConfidence) { File = _file, Line = line });
                return ConstValue.None;
            case "create_streaming_table" or "create_streaming_live_table" or "create_target_table":
                if (args.Text(0, "name") is { } declared)
                {
                    _job.PipelineTables.Add(StripLive(declared));
                }

                return ConstValue.None;
            default:
                return null;
        }
    }

    /// <summary><c>glueContext.create_dynamic_frame.from_catalog(...)</c>, <c>write_dynamic_frame.from_options(...)</c>
    /// and their one-word forms (<c>create_dynamic_frame_from_catalog</c>).</summary>
    private PyValue GlueMethod(GlueContextValue glue, string method, CallArgs args, PyNode node)
    {
        var line = node.Line;
        var full = glue.Member.Length == 0 ? method : glue.Member + "_" + method;
        var writing = full.StartsWith("write_", StringComparison.Ordinal);
        var source = full.EndsWith("from_catalog", StringComparison.Ordinal) ? "catalog"
            : full.EndsWith("from_options", StringComparison.Ordinal) ? "options"
            : full.EndsWith("from_jdbc_conf", StringComparison.Ordinal) ? "jdbc"
            : null;
        if (source is null)
        {
            return full is "getSource" or "getSink" ? new UnknownValue("glue " + full, Taint.None) : ConstValue.None;
        }

        var offset = writing ? 1 : 0;
        var options = args.At(offset + 2, "connection_options") as DictValue;
        string table;
        double confidence;
        if (source == "catalog")
        {
            var (database, databaseConfidence) = TableName(args.At(offset, "database") ?? args.At(offset, "name_space"), line);
            var (name, nameConfidence) = TableName(args.At(offset + 1, "table_name"), line);
            (table, confidence) = (database + "." + name, Math.Min(databaseConfidence, nameConfidence));
        }
        else if (source == "options" && options is not null && (options.Items.GetValueOrDefault("tableName") ?? options.Items.GetValueOrDefault("table")) is { } connectorTable)
        {
            // A custom or marketplace connector: its table (and schema) under the connection type.
            var (name, nameConfidence) = TableName(connectorTable, line);
            var schema = options.Items.GetValueOrDefault("schemaName") ?? options.Items.GetValueOrDefault("database");
            var schemaName = schema is null ? null : TableName(schema, line).Table;
            var type = args.Text(offset, "connection_type") ?? "connector";
            (table, confidence) = (type.ToLowerInvariant() + ":" + (schemaName is null ? string.Empty : schemaName + ".") + name, nameConfidence);
        }
        else if (source == "jdbc" || options?.Items.ContainsKey("dbtable") == true)
        {
            var (name, nameConfidence) = TableName(options?.Items.GetValueOrDefault("dbtable"), line);
            (table, confidence) = ("jdbc:" + name, nameConfidence);
        }
        else
        {
            var path = options?.Items.GetValueOrDefault("path") ?? (options?.Items.GetValueOrDefault("paths") as ListValue)?.Items.FirstOrDefault();
            var (text, pathConfidence) = TableName(path, line);
            (table, confidence) = (Options.Mounts.ToTable(text) ?? "path:" + text, pathConfidence);
        }

        if (!writing)
        {
            return _job.ReadTable(table, line, _file, "glue." + full, confidence, null, Stamp);
        }

        var frame = args.At(0, "frame") as DataFrameValue ?? UnresolvedFrame("Glue frame", line);
        Add(new WriteFact(table.ToLowerInvariant(), "glue." + full, "append", args.Text(3, "format") ?? "glue", [], false, frame, confidence) { File = _file, Line = line });
        return ConstValue.None;
    }

    /// <summary>awsglue.transforms: <c>ApplyMapping.apply(frame=...)</c> and the like derive a frame;
    /// <c>Join.apply(frame1, frame2, keys1, keys2)</c> joins two.</summary>
    private PyValue? GlueTransform(string transform, CallArgs args, PyNode node)
    {
        var name = transform.Split('.').Where(p => p != "apply").LastOrDefault() ?? transform;
        if (!GlueTransforms.Contains(name))
        {
            return null;
        }

        var frame = args.At(0, "frame") as DataFrameValue ?? args.At(0, "frame1") as DataFrameValue;
        if (frame is null)
        {
            return null;
        }

        if (name == "Join" && args.At(1, "frame2") is DataFrameValue other)
        {
            return Join(frame, other, args.At(2, "keys1"), "inner", node);
        }

        if (name is "Map" or "FlatMap")
        {
            Add(new UdfFact("Glue " + name, "udf", "row function") { File = _file, Line = node.Line });
        }

        return Derive(frame, "Glue " + name, node.Line);
    }
}
