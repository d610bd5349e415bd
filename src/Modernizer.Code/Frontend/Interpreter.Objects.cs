using System.Collections.Immutable;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

/// <summary>Classes, objects and the job's other files: what real PySpark code is built from.
/// A DataFrame kept on <c>self</c>, a helper imported from another file of the job, a notebook
/// included with <c>%run</c> are followed the same way as module-level code.</summary>
internal sealed partial class Interpreter
{
    /// <summary>Function values by definition name (methods as <c>Class.method</c>), for the walk
    /// of what nothing called.</summary>
    private readonly Dictionary<string, FunctionValue> _functionValues = new(StringComparer.Ordinal);

    /// <summary>One object per class for walking methods nothing called, its <c>__init__</c> run first.</summary>
    private readonly Dictionary<ClassValue, InstanceValue> _walkInstances = [];

    /// <summary>The value a job module binds to <paramref name="name"/> (running the module body
    /// first), or the module itself when <paramref name="name"/> is null.</summary>
    private PyValue? ImportFromJob(string? file, string? name)
    {
        if (file is null || !_job.Modules.TryGetValue(file, out var module))
        {
            return null;
        }

        var home = _job.InterpreterFor(file);
        if (!ReferenceEquals(home, this))
        {
            if (_job.CrossFileDepth > MaxCallDepth)
            {
                return null;
            }

            _job.CrossFileDepth++;
            try
            {
                home.RunModule(module);
            }
            finally
            {
                _job.CrossFileDepth--;
            }
        }

        if (name is null)
        {
            return new ModuleValue(JobModulePrefix + file);
        }

        return home._globals.TryGetValue(name, out var value) ? value : null;
    }

    private const string JobModulePrefix = "job:";

    /// <summary>An attribute of a job module imported as a whole (<c>import jobs.helpers as h</c>).</summary>
    private PyValue? JobModuleAttribute(string module, string attribute)
    {
        var file = module.StartsWith(JobModulePrefix, StringComparison.Ordinal) ? module[JobModulePrefix.Length..] : _job.ModuleFile(module, 0, _file);
        if (file is null)
        {
            return null;
        }

        if (ImportFromJob(file, attribute) is { } value)
        {
            return value;
        }

        return _job.ModuleFile(module + "." + attribute, 0, _file) is not null ? new ModuleValue(module + "." + attribute) : UnknownValue.Plain;
    }

    private void DefineClass(PyNode definition)
    {
        var name = definition.Str("name") ?? "class";
        var bases = definition.Nodes("bases").Select(Evaluate).OfType<ClassValue>().ToImmutableArray();
        var type = new ClassValue(name, definition, bases);
        foreach (var member in definition.Nodes("body"))
        {
            switch (member.Kind)
            {
                case "FunctionDef" or "AsyncFunctionDef":
                    var decorators = member.Nodes("decorator_list").Select(d => Dotted(d) ?? string.Empty).ToArray();
                    var function = new FunctionValue(member, name + "." + member.Str("name"))
                    {
                        File = _file,
                        Home = this,
                        Owner = type,
                        IsStatic = decorators.Contains("staticmethod"),
                        IsProperty = decorators.Any(d => d is "property" or "cached_property" or "functools.cached_property"),
                    };
                    type.Members[member.Str("name")!] = function;
                    _definitions[function.Name] = member;
                    _functionValues[function.Name] = function;
                    break;
                case "Assign":
                    var value = Evaluate(member.Node("value"));
                    foreach (var target in member.Nodes("targets").Where(t => t.Is("Name")))
                    {
                        type.Members[target.Str("id")!] = value;
                    }

                    break;
                case "AnnAssign" when member.Node("target") is { Kind: "Name" } annotated && member.Node("value") is { } initial:
                    type.Members[annotated.Str("id")!] = Evaluate(initial);
                    break;
            }
        }

        Bind(name, type);
    }

    /// <summary>A new object: <c>__init__</c> (own or inherited) runs with <c>self</c> bound.</summary>
    private InstanceValue Instantiate(ClassValue type, CallArgs args, int line)
    {
        var instance = new InstanceValue(type);
        if (type.Find("__init__") is FunctionValue init)
        {
            CallBound(init, instance, args.Positional, args.Keywords, line);
        }

        return instance;
    }

    private InstanceValue WalkInstance(ClassValue type)
    {
        if (!_walkInstances.TryGetValue(type, out var instance))
        {
            instance = new InstanceValue(type);
            _walkInstances[type] = instance;
            if (type.Find("__init__") is FunctionValue init)
            {
                _called.Add(init.Name);
                CallBound(init, instance, [], ImmutableDictionary<string, PyValue>.Empty, type.Definition.Line);
            }
        }

        return instance;
    }

    /// <summary>A method called through an object: <c>self</c> first, unless it is static.</summary>
    private PyValue CallBound(FunctionValue method, PyValue self, ImmutableArray<PyValue> positional, ImmutableDictionary<string, PyValue> keywords, int line) =>
        method.IsStatic ? CallUser(method, positional, keywords, line) : CallUser(method, [self, .. positional], keywords, line);

    private PyValue InstanceAttribute(InstanceValue instance, string attribute, int line)
    {
        if (instance.Attributes.TryGetValue(attribute, out var value))
        {
            return value;
        }

        return instance.Class.Find(attribute) switch
        {
            FunctionValue { IsProperty: true } property => CallBound(property, instance, [], ImmutableDictionary<string, PyValue>.Empty, line),
            FunctionValue method => new BoundMethodValue(instance, attribute),
            { } member => member,
            null => new UnknownValue("self." + attribute, Taint.None),
        };
    }

    private PyValue CallInstanceMethod(InstanceValue instance, string method, CallArgs args, PyNode node) =>
        instance.Class.Find(method) switch
        {
            FunctionValue function => CallBound(function, instance, args.Positional, args.Keywords, node.Line),
            _ => new UnknownValue(method + "()", args.Positional.Aggregate(Taint.None, (t, v) => t.Union(v.Taint))),
        };

    private void AssignAttribute(PyNode target, PyValue value)
    {
        var owner = Evaluate(target.Node("value"));
        var attribute = target.Str("attr")!;
        switch (owner)
        {
            case InstanceValue instance:
                instance.Attributes[attribute] = value;
                break;
            case ClassValue type:
                type.Members[attribute] = value;
                break;
        }
    }

    /// <summary>A parameter no caller supplied: typed from its annotation, else from the names
    /// PySpark code gives a session or a DataFrame.</summary>
    private PyValue ParameterValue(PyNode parameter, string name)
    {
        var annotation = parameter.Node("annotation") is { } a ? AnnotationName(a) : null;
        if (annotation is "SparkSession" || (annotation is null && IsSessionName(name)))
        {
            return new SparkSessionValue();
        }

        if (annotation is "GlueContext" || (annotation is null && name is "glueContext" or "glue_context" or "glue_ctx"))
        {
            return new GlueContextValue();
        }

        if (annotation is "DataFrame" or "DynamicFrame" || (annotation is null && IsFrameName(name)))
        {
            return ParameterFrame(name, parameter.Line);
        }

        return new UnknownValue(name, Taint.None);
    }

    /// <summary><c>DataFrame</c>, <c>pyspark.sql.DataFrame</c>, <c>"DataFrame"</c>, <c>Optional[DataFrame]</c>.</summary>
    private static string? AnnotationName(PyNode annotation)
    {
        if (annotation.Is("Constant") && annotation.Const() is string text)
        {
            return text.Split('.')[^1].Trim();
        }

        if (annotation.Is("Subscript"))
        {
            // Optional[DataFrame] is a DataFrame; Iterator[pd.DataFrame] (mapInPandas) is not.
            var container = Dotted(annotation.Node("value")!)?.Split('.')[^1];
            return container is "Optional" && annotation.Node("slice") is { } inner ? AnnotationName(inner) : null;
        }

        if (Dotted(annotation) is { } dotted && (dotted.StartsWith("pd.", StringComparison.Ordinal) || dotted.StartsWith("pandas.", StringComparison.Ordinal)))
        {
            return null;
        }

        if (annotation.Is("BinOp"))
        {
            return (annotation.Node("left") is { } left ? AnnotationName(left) : null) ?? (annotation.Node("right") is { } right ? AnnotationName(right) : null);
        }

        return Dotted(annotation)?.Split('.')[^1];
    }

    internal static bool IsSessionName(string name) =>
        name is "spark" or "spark_session" or "sparkSession" or "spark_sess" or "ss" or "session" or "sqlContext" or "sql_context" or "hive_context" or "hiveContext";

    private static bool IsFrameName(string name) =>
        name is "df" or "sdf" or "dataframe" or "data_frame" or "frame" or "input_df" or "source_df" or "dyf" or "dynamic_frame"
        || name.EndsWith("_df", StringComparison.Ordinal) || name.EndsWith("_sdf", StringComparison.Ordinal)
        || name.EndsWith("_dyf", StringComparison.Ordinal) || name.EndsWith("DF", StringComparison.Ordinal) || name.EndsWith("Df", StringComparison.Ordinal);

    /// <summary>A DataFrame handed in by a caller the analysis does not see: no table, no known columns.</summary>
    private DataFrameValue ParameterFrame(string name, int line) =>
        new(_job.NextFrameId(), "Parameter " + name, [], [], ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty, [], [], FrameTraits.None, line)
        {
            Step = new FrameStep("parameter", [], [], name),
        };

    /// <summary><c>%run ./other</c>: the other notebook runs in this notebook's namespace, its
    /// facts pointing into its own file.</summary>
    private PyValue RunNotebook(CallArgs args, int line)
    {
        var path = args.Text(0) ?? string.Empty;
        var target = _job.RunTarget(path, _file);
        if (target is null || !_job.Modules.TryGetValue(target, out var module))
        {
            Add(new UnresolvedFact("%run " + path, "the notebook it includes is not among the job's files") { File = _file, Line = line });
            return ConstValue.None;
        }

        if (_runStack.Contains(target) || _runStack.Count > MaxCallDepth)
        {
            return ConstValue.None;
        }

        var saved = _file;
        _runStack.Push(target);
        _file = target;
        try
        {
            ExecuteBlock(module.Nodes("body"), out _);
        }
        finally
        {
            _file = saved;
            _runStack.Pop();
        }

        return ConstValue.None;
    }

    private readonly Stack<string> _runStack = new();

    /// <summary>The marker the notebook reader writes on a <c>%run</c> cell's line.</summary>
    internal const string RunMarker = "__modernizer_run__";
}
