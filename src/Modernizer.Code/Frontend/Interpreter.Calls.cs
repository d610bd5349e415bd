using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

internal sealed partial class Interpreter
{
    private sealed record CallArgs(ImmutableArray<PyValue> Positional, ImmutableDictionary<string, PyValue> Keywords, ImmutableArray<PyNode> Nodes)
    {
        public PyValue? At(int index, string? keyword = null) =>
            keyword is not null && Keywords.TryGetValue(keyword, out var named) ? named
            : index < Positional.Length ? Positional[index] : null;

        public string? Text(int index, string? keyword = null) => At(index, keyword) switch
        {
            ConstValue c => c.AsText(),
            TextValue t => t.Render(),
            _ => null,
        };
    }

    private PyValue EvaluateCall(PyNode node)
    {
        var funcNode = node.Node("func")!;
        var callee = Evaluate(funcNode);
        var positional = ImmutableArray.CreateBuilder<PyValue>();
        foreach (var arg in node.Nodes("args"))
        {
            if (arg.Is("Starred"))
            {
                var spread = Evaluate(arg.Node("value"));
                if (spread is ListValue list)
                {
                    positional.AddRange(list.Items);
                }
                else
                {
                    positional.Add(spread);
                }
            }
            else
            {
                positional.Add(Evaluate(arg));
            }
        }

        var keywords = ImmutableDictionary.CreateBuilder<string, PyValue>(StringComparer.Ordinal);
        foreach (var keyword in node.Nodes("keywords"))
        {
            var value = Evaluate(keyword.Node("value"));
            if (keyword.Str("arg") is { } name)
            {
                keywords[name] = value;
            }
            else if (value is DictValue dict)
            {
                keywords.AddRange(dict.Items);
            }
        }

        var args = new CallArgs(positional.ToImmutable(), keywords.ToImmutable(), node.Nodes("args"));
        var result = Call(callee, args, node);

        // Accumulating data into a driver-side container makes the container data too.
        if (callee is BoundMethodValue { Method: "append" or "extend" or "add" or "update" or "insert" or "setdefault" } accumulate
            && funcNode.Node("value") is { Kind: "Name" } container
            && args.Positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint)) is { IsEmpty: false } taint)
        {
            var from = args.Positional.SelectMany(v => v is ListValue l ? l.Items : [v]).OfType<DriverDataValue>().Select(d => d.From).FirstOrDefault(f => f is not null)
                ?? (accumulate.Receiver as DriverDataValue)?.From;
            Bind(container.Str("id")!, new DriverDataValue("accumulated rows", accumulate.Receiver.Taint.Union(taint) with { IsRow = false }, from, true, node.Line));
        }

        return result;
    }

    private PyValue Call(PyValue callee, CallArgs args, PyNode node) => callee switch
    {
        FunctionValue { Owner: not null, IsStatic: false } method when args.Positional.FirstOrDefault() is InstanceValue self =>
            CallBound(method, self, args.Positional[1..], args.Keywords, node.Line),
        FunctionValue function => CallUser(function, args.Positional, args.Keywords, node.Line),
        ClassValue type => Instantiate(type, args, node.Line),
        UdfValue udf => CallUdf(udf, args, node),
        ModuleValue module => CallModule(module.Name, args, node),
        BoundMethodValue { Receiver: InstanceValue instance } bound => CallInstanceMethod(instance, bound.Method, args, node),
        BoundMethodValue { Receiver: ClassValue type } bound => type.Find(bound.Method) is FunctionValue member ? CallUser(member, args.Positional, args.Keywords, node.Line) : UnknownValue.Plain,
        BoundMethodValue { Receiver: UnknownValue unknown, Method: "apply" } when GlueTransform(unknown.Description, args, node) is { } transformed => transformed,
        BoundMethodValue bound => CallMethod(bound.Receiver, bound.Method, args, node),
        UnknownValue { Description: RunMarker } => RunNotebook(args, node.Line),
        _ => new UnknownValue("call", args.Positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint))),
    };

    private PyValue CallUser(FunctionValue function, ImmutableArray<PyValue> positional, ImmutableDictionary<string, PyValue> keywords, int line)
    {
        if (function.Home is { } home && !ReferenceEquals(home, this))
        {
            return home.CallFrom(this, function, positional, keywords, line);
        }

        _called.Add(function.Name);
        var taint = positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint));
        if (_functions.Count >= MaxCallDepth || _functions.Contains(function.Name))
        {
            return new UnknownValue(function.Name + "()", taint);
        }

        var definition = function.Definition;
        var parameters = definition.Node("args");
        var scope = new Dictionary<string, PyValue>(StringComparer.Ordinal);
        if (parameters is not null)
        {
            var names = parameters.Nodes("posonlyargs").AddRange(parameters.Nodes("args"));
            var defaults = parameters.Nodes("defaults");
            for (var i = 0; i < names.Length; i++)
            {
                var name = names[i].Str("arg")!;
                var defaultIndex = i - (names.Length - defaults.Length);
                var supplied = i < positional.Length ? positional[i]
                    : keywords.TryGetValue(name, out var named) ? named
                    : defaultIndex >= 0 ? Evaluate(defaults[defaultIndex])
                    : null;
                // Nothing known from the caller: the parameter's annotation or name tells what it is.
                scope[name] = supplied is null or UnknownValue { Taint.IsEmpty: true } ? ParameterValue(names[i], name) : supplied;
            }

            // kw_defaults keeps a null where a keyword-only argument has no default.
            var kwonly = parameters.Nodes("kwonlyargs");
            var kwDefaults = parameters.OptionalNodes("kw_defaults");
            for (var i = 0; i < kwonly.Length; i++)
            {
                var name = kwonly[i].Str("arg")!;
                scope[name] = keywords.TryGetValue(name, out var named) ? named
                    : i < kwDefaults.Length && kwDefaults[i] is { } fallback ? Evaluate(fallback) : ParameterValue(kwonly[i], name);
            }

            if (parameters.Node("vararg") is { } vararg)
            {
                scope[vararg.Str("arg")!] = new ListValue([.. positional.Skip(names.Length)]);
            }

            if (parameters.Node("kwarg") is { } kwarg)
            {
                scope[kwarg.Str("arg")!] = new DictValue(keywords);
            }
        }

        _locals.Push(scope);
        _functions.Push(function.Name);
        var savedFile = _file;
        _file = function.File ?? _file;
        try
        {
            var body = definition.Nodes("body");
            ExecuteBlock(body, out var returned);
            return returned ?? LastConditionalReturn(definition, body) ?? ConstValue.None;
        }
        finally
        {
            _file = savedFile;
            _functions.Pop();
            _locals.Pop();
        }
    }

    /// <summary>A function of this module called from another file: it sees this module's
    /// globals, and the caller's loops and handlers (an action in a helper called per row is
    /// still per row).</summary>
    private PyValue CallFrom(Interpreter caller, FunctionValue function, ImmutableArray<PyValue> positional, ImmutableDictionary<string, PyValue> keywords, int line)
    {
        if (_job.CrossFileDepth > MaxCallDepth)
        {
            return new UnknownValue(function.Name + "()", positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint)));
        }

        var (loops, except) = (_loops, _exceptDepth);
        _loops = caller._loops;
        _exceptDepth = caller._exceptDepth;
        _job.CrossFileDepth++;
        try
        {
            return CallUser(function, positional, keywords, line);
        }
        finally
        {
            _job.CrossFileDepth--;
            _loops = loops;
            _exceptDepth = except;
        }
    }

    /// <summary>When every return sits in a branch, the function's value is that of the last
    /// one the walk met (evaluated again in the function's scope).</summary>
    private PyValue? LastConditionalReturn(PyNode definition, ImmutableArray<PyNode> body)
    {
        if (!_lastReturns.TryGetValue(definition, out var last))
        {
            last = body.SelectMany(s => s.Walk()).LastOrDefault(n => n.Is("Return") && n.Node("value") is not null);
            _lastReturns[definition] = last;
        }

        return last is null ? null : Evaluate(last.Node("value"));
    }

    private PyValue CallUdf(UdfValue udf, CallArgs args, PyNode node)
    {
        var columns = args.Positional.Select(a => a is ConstValue { Value: string s } ? ColumnValue.Ref(s, node.Line) : AsColumn(a, node.Line)).ToArray();
        var sql = udf.Name + "(" + string.Join(", ", columns.Select(c => c.Sql)) + ")";
        Add(new UdfFact(udf.Name, udf.IsPandas ? "pandas_udf" : "udf", "call") { File = _file, Line = node.Line });
        return columns.Length == 0
            ? new ColumnValue(sql, [], ColumnTraits.Udf, null, node.Line)
            : columns[0].Derived(sql, ColumnTraits.Udf, columns[1..]);
    }

    private PyValue CallModule(string name, CallArgs args, PyNode node)
    {
        var dot = name.LastIndexOf('.');
        var prefix = dot < 0 ? string.Empty : name[..dot];
        var member = dot < 0 ? name : name[(dot + 1)..];
        var line = node.Line;

        if (name.StartsWith("pyspark", StringComparison.Ordinal) || prefix is "sc" or "spark.conf" or "spark.catalog" or "spark.udf" or "dlt" || name.StartsWith("awsglue", StringComparison.Ordinal))
        {
            _job.SparkFiles.Add(_file);
        }

        if (prefix == "pyspark.sql.functions")
        {
            return SparkFunction(member, args, node);
        }

        if (prefix is "dlt" or "pyspark.pipelines" && DltCall(member, args, line) is { } dlt)
        {
            return dlt;
        }

        if (member == "GlueContext")
        {
            return new GlueContextValue();
        }

        if (name.EndsWith("DynamicFrame.fromDF", StringComparison.Ordinal) || name.EndsWith("DynamicFrame.from_df", StringComparison.Ordinal))
        {
            return args.At(0, "dataframe") ?? UnknownValue.Plain;
        }

        if (prefix.StartsWith("awsglue.transforms", StringComparison.Ordinal) && GlueTransform(prefix, args, node) is { } transformed)
        {
            return transformed;
        }

        if (member is "SQLContext" or "HiveContext" || name.EndsWith("SQLContext.getOrCreate", StringComparison.Ordinal))
        {
            return new SparkSessionValue();
        }

        if (member == "SparkContext" || name.EndsWith("SparkContext.getOrCreate", StringComparison.Ordinal))
        {
            return new ModuleValue("sc");
        }

        if (prefix == "builtins")
        {
            return PythonBuiltin(member, args, node);
        }

        if (name.Contains("SparkSession", StringComparison.Ordinal))
        {
            return member is "getOrCreate" or "getActiveSession" or "active" ? new SparkSessionValue() : new ModuleValue(name.EndsWith(".builder", StringComparison.Ordinal) ? name : prefix);
        }

        if (prefix.EndsWith("Window", StringComparison.Ordinal))
        {
            return WindowMethod(new WindowValue([], [], false), member, args, line);
        }

        if (prefix.EndsWith("DeltaTable", StringComparison.Ordinal))
        {
            return DeltaTableOpen(member, args, line);
        }

        if (prefix.EndsWith("types", StringComparison.Ordinal) || prefix == "pyspark.sql")
        {
            return TypeConstructor(member, args);
        }

        if (name is "dbutils.widgets.get" or "dbutils.widgets.getArgument")
        {
            var widget = args.Text(0, "name") ?? "widget";
            if (Options.Parameters.TryGetValue(widget, out var fromJob) || _job.WidgetDefaults.TryGetValue(widget, out fromJob))
            {
                return new ConstValue(fromJob);
            }

            Add(new UnresolvedFact("widget " + widget, "no default in job.yaml parameters or dbutils.widgets.text") { File = _file, Line = line });
            return TextValue.Hole(widget, Taint.None);
        }

        if (prefix == "dbutils.widgets" && member is "text" or "dropdown" or "combobox" or "multiselect")
        {
            if (args.Text(0, "name") is { } widget && args.At(1, "defaultValue") is ConstValue or TextValue { IsKnown: true } && args.Text(1, "defaultValue") is { } fallback && !Options.Parameters.ContainsKey(widget))
            {
                _job.WidgetDefaults[widget] = fallback;
            }

            return ConstValue.None;
        }

        if (name is "spark.conf.get" or "os.environ.get" or "os.getenv")
        {
            if (args.Text(1) is { } fallback)
            {
                Add(new SettingDefaultFact(args.Text(0) ?? "setting", fallback) { File = _file, Line = line });
            }

            return args.At(1) ?? TextValue.Hole(args.Text(0) ?? "conf", Taint.None, line);
        }

        if (name is "spark.udf.register")
        {
            var udfName = args.Text(0) ?? "udf";
            Add(new UdfFact(udfName, "udf", "registered for SQL") { File = _file, Line = line });
            return new UdfValue(udfName, line, false);
        }

        if (name is "spark.catalog.setCurrentDatabase" or "spark.catalog.setCurrentCatalog" && args.Text(0) is { } current)
        {
            _job.ApplyUse(member == "setCurrentCatalog" ? "catalog " + current.ToLowerInvariant() : current.ToLowerInvariant());
            return ConstValue.None;
        }

        if (name is "spark.catalog.tableExists")
        {
            return new UnknownValue("bool", Taint.None);
        }

        if (prefix is "datetime.datetime" or "datetime.date" or "datetime" or "date" or "time" && member is "now" or "today" or "fromtimestamp" or "localtime" or "mktime")
        {
            var hasZone = args.Keywords.ContainsKey("tz") || (member is "now" && args.Positional.Length > 0) || (member is "fromtimestamp" && args.Positional.Length > 1);
            if (!hasZone)
            {
                var taint = args.Positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint));
                Add(new DriverOpFact("driver_local_timezone", $"{prefix.Split('.')[^1]}.{member}() uses the driver's local time zone", !taint.IsEmpty) { File = _file, Line = line });
                return new DriverDataValue("local time", taint, null, false, line);
            }
        }

        // Only calls that make or act on RDDs are RDD work; setCheckpointDir, setLogLevel,
        // broadcast or accumulator on the SparkContext are not.
        if (prefix == "rdd" || (prefix == "sc" && IsRddCreation(member)))
        {
            Add(new RddFact(member) { File = _file, Line = line });
            if (prefix == "sc")
            {
                return new RddValue(RddSource(member, args, line));
            }
        }

        if (prefix is "logging" && member == "getLogger")
        {
            return new ModuleValue("logger");
        }

        return new UnknownValue(name + "()", args.Positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint)));
    }

    /// <summary>The data an RDD starts from: files read (textFile and the like) or rows on the driver (parallelize).</summary>
    private DataFrameValue RddSource(string member, CallArgs args, int line)
    {
        if (member is "textFile" or "wholeTextFiles" or "binaryFiles" or "binaryRecords" or "pickleFile" or "sequenceFile" or "objectFile" or "hadoopFile" or "newAPIHadoopFile")
        {
            var (path, confidence) = TableName(args.At(0, "name") ?? args.At(0, "path"), line);
            return _job.ReadTable(Options.Mounts.ToTable(path) ?? "path:" + path, line, _file, "sc." + member, confidence, path, Stamp);
        }

        return new DataFrameValue(_job.NextFrameId(), "RDD " + member, [], [], ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty, [], [], FrameTraits.FromDriverData, line)
        {
            Step = new FrameStep("driver", [], []),
        };
    }

    private static bool IsRddCreation(string member) =>
        member is "parallelize" or "textFile" or "wholeTextFiles" or "binaryFiles" or "binaryRecords" or "pickleFile" or "sequenceFile"
            or "hadoopFile" or "hadoopRDD" or "newAPIHadoopFile" or "newAPIHadoopRDD" or "objectFile" or "emptyRDD" or "range" or "union" or "runJob";

    private PyValue TypeConstructor(string member, CallArgs args)
    {
        switch (member)
        {
            case "StructType":
                var fields = args.At(0) as ListValue;
                return new SchemaValue(fields is null ? [] : [.. fields.Items.OfType<SchemaValue>().SelectMany(s => s.Columns)]);
            case "StructField":
                return args.Text(0) is { } field ? new SchemaValue([field.ToLowerInvariant()]) : new SchemaValue([]);
            case "Row":
                var taint = args.Keywords.Values.Aggregate(Taint.None, (t, v) => t.Union(v.Taint));
                return new DriverDataValue("Row", taint, null, false, 0);
            default:
                return new UnknownValue(member, Taint.None);
        }
    }

    private PyValue PythonBuiltin(string name, CallArgs args, PyNode node)
    {
        var first = args.At(0);
        var taint = args.Positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint));
        switch (name)
        {
            case "str":
                return first switch
                {
                    ConstValue c => new ConstValue(c.AsText()),
                    TextValue t => t,
                    null => new ConstValue(string.Empty),
                    _ => TextValue.Hole(Describe(args.Nodes.FirstOrDefault()), taint),
                };
            case "int" or "float" or "Decimal" or "bool" or "abs":
                if (first is ConstValue { Value: string s } && name == "int" && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return new ConstValue(parsed);
                }

                return first is ConstValue ? first : first is DriverDataValue data ? data : new UnknownValue(name, taint);
            case "round":
                // Any value derived from data on the driver counts: a field, a sum kept in a dict
                // or an accumulator, a helper's return (taint flows through all of them).
                if (first is not null && IsDriverData(first) && !first.Taint.Rounded)
                {
                    Add(new DriverOpFact("round_half_even", "Python's round() rounds half to even (banker's rounding), Spark's round() rounds half up", true) { File = _file, Line = node.Line });
                }

                return taint.IsEmpty ? new UnknownValue("number", taint) : new DriverDataValue("rounded", taint with { Rounded = true }, null, false, node.Line);
            case "range":
                var numbers = args.Positional.Select(a => a is ConstValue { Value: long l } ? (long?)l : null).ToArray();
                if (numbers.Length is 1 or 2 && numbers.All(n => n.HasValue))
                {
                    var (from, to) = numbers.Length == 1 ? (0L, numbers[0]!.Value) : (numbers[0]!.Value, numbers[1]!.Value);
                    if (to - from is >= 0 and <= MaxUnroll)
                    {
                        return new ListValue([.. Enumerable.Range((int)from, (int)(to - from)).Select(i => (PyValue)new ConstValue((long)i))]);
                    }
                }

                return new UnknownValue("range", taint);
            case "enumerate":
                return first switch
                {
                    ListValue list => new ListValue([.. list.Items.Select((item, i) => (PyValue)new ListValue([new ConstValue((long)i), item], true))]),
                    DriverDataValue rows => rows,
                    _ => new UnknownValue("enumerate", taint),
                };
            case "sorted" or "list" or "tuple" or "set" or "reversed" or "iter":
                return first ?? new ListValue([]);
            case "print" or "display":
                foreach (var frame in args.Positional.OfType<DataFrameValue>())
                {
                    Add(new ActionFact("display", frame, false) { File = _file, Line = node.Line });
                }

                return ConstValue.None;
            default:
                return taint.IsEmpty ? new UnknownValue(name + "()", taint) : new DriverDataValue(name + "()", taint, null, false, node.Line);
        }
    }

    private PyValue CallMethod(PyValue receiver, string method, CallArgs args, PyNode node)
    {
        if (receiver is SparkSessionValue or ReaderValue or DataFrameValue or GroupedValue or WriterValue or ColumnValue or WindowValue or DeltaTableValue or MergeValue or RddValue or GlueContextValue)
        {
            _job.SparkFiles.Add(_file);
        }

        return CallSparkOrPython(receiver, method, args, node);
    }

    private PyValue CallSparkOrPython(PyValue receiver, string method, CallArgs args, PyNode node) => receiver switch
    {
        SparkSessionValue => SessionMethod(method, args, node),
        GlueContextValue glue => GlueMethod(glue, method, args, node),
        ReaderValue reader => ReaderMethod(reader, method, args, node),
        DataFrameValue frame => FrameMethod(frame, method, args, node),
        GroupedValue grouped => GroupedMethod(grouped, method, args, node),
        WriterValue writer => WriterMethod(writer, method, args, node),
        ColumnValue column => ColumnMethod(column, method, args, node),
        WindowValue window => WindowMethod(window, method, args, node.Line),
        DeltaTableValue table => DeltaTableMethod(table, method, args, node),
        DeltaBuilderValue builder => DeltaBuilderMethod(builder, method, args, node),
        MergeValue merge => MergeMethod(merge, method, args, node),
        RddValue rdd => RddMethod(rdd, method, args, node),
        ModuleValue module => CallModule(module.Name + "." + method, args, node),
        TextValue or ConstValue { Value: string } => StringMethod(receiver, method, args, node),
        DriverDataValue data => DriverMethod(data, method, args, node),
        UdfValue udf when method is "asNondeterministic" => udf,
        _ when method is "createOrReplaceTempView" or "createTempView" or "registerTempTable" or "createGlobalTempView" or "createOrReplaceGlobalTempView" => UnresolvedView(receiver, args, node),

        // toDF() of something the analysis does not know (a Glue DynamicFrame handed in as
        // `self`, an RDD from a library) is a DataFrame all the same.
        UnknownValue when method == "toDF" => UnresolvedFrame("toDF() of an unknown value", node.Line),
        _ => new UnknownValue(method + "()", receiver.Taint.Union(args.Positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint)))),
    };

    /// <summary>A temp view over something the frontend could not follow: reads of it are
    /// unresolved, never a table of that name.</summary>
    private PyValue UnresolvedView(PyValue receiver, CallArgs args, PyNode node)
    {
        var view = (args.Text(0) ?? "view").ToLowerInvariant();
        var frame = UnresolvedFrame("temp view " + view, node.Line);
        _job.TempViews[view] = frame;
        _job.TempViews["global_temp." + view] = frame;
        Add(new TempViewFact(view) { File = _file, Line = node.Line, Unresolved = true });
        Add(new UnresolvedFact("temp view " + view, $"built from {(receiver is UnknownValue u ? u.Description : "a value")} the analysis could not follow; its sources are unknown") { File = _file, Line = node.Line });
        return ConstValue.None;
    }

    /// <summary>A value computed on the driver from collected data (not a DataFrame, not rows still to iterate).</summary>
    private static bool IsDriverData(PyValue value) =>
        value is not (DataFrameValue or ColumnValue) && !value.Taint.IsEmpty
        && value is not DriverDataValue { IsRowSequence: true };

    private PyValue DriverMethod(DriverDataValue data, string method, CallArgs args, PyNode node) => method switch
    {
        "sort_values" or "sort_index" when data.From is { } frame => data with { From = PandasSort(frame, args, node) },
        "head" or "nlargest" or "nsmallest" when data.From is { } frame && args.At(0, "n") is ConstValue { Value: long n } =>
            data with { From = Derive(frame, "Limit " + n.ToString(CultureInfo.InvariantCulture), node.Line, add: FrameTraits.Limited) with { Step = new FrameStep("limit", [], [], n.ToString(CultureInfo.InvariantCulture)) } },
        "iterrows" or "itertuples" or "items" or "values" or "keys" or "to_dict" or "collect" => data with { IsRowSequence = true, Origin = data.Origin.Contains("toPandas", StringComparison.Ordinal) ? data.Origin + "." + method + "()" : data.Origin },
        "asDict" => data with { IsRowSequence = false },
        "get" when args.Text(0) is { } field => args.At(1) is { } fallback && !data.IsRowSequence && data.DataTaint.IsRow ? FieldOf(data, field, node.Line) : FieldOf(data, field, node.Line),
        _ => new DriverDataValue(data.Origin, data.DataTaint, data.From, false, node.Line),
    };

    /// <summary>pandas <c>sort_values(by, ascending)</c> on collected rows: the order the loop
    /// sees them in, kept in the plan as a sort of the frame they came from.</summary>
    private DataFrameValue PandasSort(DataFrameValue frame, CallArgs args, PyNode node)
    {
        var by = args.At(0, "by") switch
        {
            ListValue list => list.Items.Select(i => (i as ConstValue)?.AsText()).OfType<string>().ToArray(),
            ConstValue c when c.AsText() is { } one => [one],
            _ => [],
        };
        var ascending = args.At(1, "ascending") switch
        {
            ListValue list => list.Items.Select(i => i is not ConstValue { Value: false }).ToArray(),
            ConstValue { Value: false } => [.. by.Select(_ => false)],
            _ => [.. by.Select(_ => true)],
        };
        var keys = by.Select((b, i) => ColumnValue.Ref(b, node.Line).Sql + (i < ascending.Length && !ascending[i] ? " DESC" : string.Empty)).ToArray();
        return Derive(frame, "Sort (pandas) " + string.Join(", ", keys), node.Line) with { Step = FrameStep.Of("sort", keys) };
    }

    private PyValue StringMethod(PyValue receiver, string method, CallArgs args, PyNode node)
    {
        var text = ToText(receiver, null);
        switch (method)
        {
            case "format":
                return FormatMethod(text, args, node) is TextValue formatted ? formatted with { Line = LineOf(receiver) } : UnknownValue.Plain;
            case "lower" when text.IsKnown:
                return new ConstValue(text.Render().ToLowerInvariant());
            case "upper" when text.IsKnown:
                return new ConstValue(text.Render().ToUpperInvariant());
            case "strip" when text.IsKnown:
                return new ConstValue(text.Render().Trim());
            case "join" when args.At(0) is ListValue list && text.IsKnown:
                var separator = TextValue.Of(text.Render());
                var parts = new List<TextValue>();
                for (var i = 0; i < list.Items.Length; i++)
                {
                    if (i > 0)
                    {
                        parts.Add(separator);
                    }

                    parts.Add(ToText(list.Items[i], null));
                }

                return TextValue.Concat(parts);
            case "replace" when text.IsKnown && args.Text(0) is { } old && args.Text(1) is { } replacement:
                return new ConstValue(text.Render().Replace(old, replacement, StringComparison.Ordinal));
            case "split":
                return new UnknownValue("split", text.Taint);
            default:
                return new UnknownValue("str." + method, text.Taint);
        }
    }

    private static PyValue FormatMethod(TextValue format, CallArgs args, PyNode node)
    {
        if (!format.IsKnown)
        {
            return TextValue.Hole("formatted", Taint.None);
        }

        var literal = format.Render();
        var parts = new List<TextValue>();
        var start = 0;
        var auto = 0;
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] == '{' && i + 1 < literal.Length && literal[i + 1] == '{')
            {
                parts.Add(TextValue.Of(literal[start..i] + "{"));
                i++;
                start = i + 1;
                continue;
            }

            if (literal[i] == '}' && i + 1 < literal.Length && literal[i + 1] == '}')
            {
                parts.Add(TextValue.Of(literal[start..i] + "}"));
                i++;
                start = i + 1;
                continue;
            }

            if (literal[i] != '{')
            {
                continue;
            }

            var close = literal.IndexOf('}', i);
            if (close < 0)
            {
                break;
            }

            var field = literal[(i + 1)..close].Split(':', '!')[0];
            parts.Add(TextValue.Of(literal[start..i]));
            PyValue? value = field.Length == 0 ? args.At(auto++)
                : int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) ? args.At(index)
                : args.Keywords.GetValueOrDefault(field.Split('.', '[')[0]);
            parts.Add(value is null ? TextValue.Hole(field.Length == 0 ? "arg" : field, Taint.None, node.Line) : Interpolated(ToText(value, node), node.Line));
            i = close;
            start = close + 1;
        }

        parts.Add(TextValue.Of(literal[start..]));
        return TextValue.Concat(parts);
    }
}
