using System.Collections.Immutable;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

/// <summary>Walks one Python file as an abstract interpreter: constants are propagated through
/// assignments, containers, f-strings, <c>.format</c>, <c>%</c> and <c>+</c>; loops over literal
/// lists are unrolled; user functions are entered with their arguments; Spark calls become
/// DataFrame values; everything observed becomes a <see cref="Fact"/>.</summary>
internal sealed partial class Interpreter
{
    private const int MaxCallDepth = 12;
    private const int MaxUnroll = 64;

    private readonly JobContext _job;
    private readonly string _homeFile;
    private string _file;
    private bool _ran;
    private readonly Dictionary<string, PyValue> _globals = new(StringComparer.Ordinal);
    private readonly Stack<Dictionary<string, PyValue>> _locals = new();
    private readonly Stack<string> _functions = new();
    private readonly HashSet<string> _called = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PyNode> _definitions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _walkedUdfs = new(StringComparer.Ordinal);

    /// <summary>Per function definition, its last return with a value: a helper called from many
    /// places is searched once, not on every call.</summary>
    private readonly Dictionary<PyNode, PyNode?> _lastReturns = new(ReferenceEqualityComparer.Instance);
    private ImmutableArray<LoopContext> _loops = [];
    private int _exceptDepth;

    public Interpreter(JobContext job, string file)
    {
        _job = job;
        _file = file;
        _homeFile = file;
    }

    private FrontendOptions Options => _job.Options;

    /// <summary>Runs the module body, then walks the functions nothing called.</summary>
    public void Run(PyNode module)
    {
        RunModule(module);
        WalkUncalled();
    }

    /// <summary>Runs the module body once (an import from another file of the job runs it first).</summary>
    public void RunModule(PyNode module)
    {
        if (_ran)
        {
            return;
        }

        _ran = true;
        ExecuteBlock(module.Nodes("body"), out _);
    }

    /// <summary>Functions and methods never called from the job still run in production through
    /// other entry points (tests, schedulers, another job); they are walked with their parameters
    /// typed from annotations and names, so nothing is missed. Runs after every file's module
    /// body, so calls from other files count.</summary>
    public void WalkUncalled()
    {
        foreach (var (name, definition) in _definitions.ToArray())
        {
            if (!_called.Contains(name))
            {
                _called.Add(name);
                var function = _functionValues.GetValueOrDefault(name) ?? new FunctionValue(definition, name);
                if (function.Owner is { } owner)
                {
                    var instance = WalkInstance(owner);
                    CallBound(function, instance, [], ImmutableDictionary<string, PyValue>.Empty, definition.Line);
                }
                else
                {
                    CallUser(function, [], ImmutableDictionary<string, PyValue>.Empty, definition.Line);
                }
            }
        }
    }

    private void Add(Fact fact) => _job.Facts.Add(Stamp(fact switch
    {
        WriteFact write => write with { Table = _job.Canonical(write.Table) },
        MergeFact merge => merge with { Target = _job.Canonical(merge.Target) },
        _ => fact,
    }));

    private Fact Stamp(Fact fact) => fact with
    {
        Loops = _loops,
        Function = _functions.Count > 0 ? _functions.Peek() : null,
        InExceptHandler = _exceptDepth > 0,
    };

    private PyValue Lookup(string name)
    {
        if (_locals.Count > 0 && _locals.Peek().TryGetValue(name, out var local))
        {
            return local;
        }

        if (_globals.TryGetValue(name, out var global))
        {
            return global;
        }

        return Builtins.Resolve(name) ?? (PyValue?)StarImported(name) ?? new UnknownValue(name, Taint.None);
    }

    private readonly List<string> _starModules = [];

    /// <summary>A name from a star import of PySpark: functions (col, udf, sum...) and types (StringType, StructField...).</summary>
    private ModuleValue? StarImported(string name)
    {
        foreach (var module in _starModules)
        {
            if (module == "pyspark.sql.functions" && (name is "col" or "column" or "lit" or "udf" or "pandas_udf" or "when" or "expr" or "broadcast" or "UserDefinedFunction" or "desc" or "asc"
                || Aggregates.Contains(name) || WindowFunctions.Contains(name) || Plan.FunctionCatalog.Find(name) is not null))
            {
                return new ModuleValue("pyspark.sql.functions." + name);
            }

            if (module == "pyspark.sql.types" && (name.EndsWith("Type", StringComparison.Ordinal) || name is "StructField" or "Row"))
            {
                return new ModuleValue("pyspark.sql.types." + name);
            }

            if (module.StartsWith("awsglue", StringComparison.Ordinal) && char.IsUpper(name[0]))
            {
                return new ModuleValue(module + "." + name);
            }
        }

        return null;
    }

    private void Bind(string name, PyValue value)
    {
        if (_locals.Count > 0)
        {
            _locals.Peek()[name] = value;
        }
        else
        {
            _globals[name] = value;
        }
    }

    /// <summary>Executes statements; <paramref name="returned"/> is the value of a top-level return.</summary>
    private bool ExecuteBlock(ImmutableArray<PyNode> statements, out PyValue? returned)
    {
        returned = null;
        foreach (var statement in statements)
        {
            if (Execute(statement, out var value))
            {
                returned = value;
                return true;
            }
        }

        return false;
    }

    private bool Execute(PyNode statement, out PyValue? returned)
    {
        // Deeply nested code ends in a clear error for this file, never in a stack overflow.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        returned = null;
        switch (statement.Kind)
        {
            case "Expr":
                Evaluate(statement.Node("value"));
                return false;
            case "Assign":
                RecordNamedConstants(statement);
                var value = Evaluate(statement.Node("value"));
                foreach (var target in statement.Nodes("targets"))
                {
                    Assign(target, value);
                }

                return false;
            case "AnnAssign":
                if (statement.Node("value") is { } annotated)
                {
                    Assign(statement.Node("target")!, Evaluate(annotated));
                }

                return false;
            case "AugAssign":
                var target0 = statement.Node("target")!;
                var combined = BinaryOperation(statement.Node("op")!.Kind, Evaluate(target0), Evaluate(statement.Node("value")), statement);
                Assign(target0, combined);
                return false;
            case "If":
                return ExecuteIf(statement, out returned);
            case "For":
            case "AsyncFor":
                ExecuteFor(statement);
                return false;
            case "While":
                ExecuteWhile(statement);
                return false;
            case "With":
            case "AsyncWith":
                foreach (var item in statement.Nodes("items"))
                {
                    var context = Evaluate(item.Node("context_expr"));
                    if (item.Node("optional_vars") is { } alias)
                    {
                        Assign(alias, context);
                    }
                }

                return ExecuteBlock(statement.Nodes("body"), out returned);
            case "Try":
            case "TryStar":
                return ExecuteTry(statement, out returned);
            case "FunctionDef":
            case "AsyncFunctionDef":
                DefineFunction(statement);
                return false;
            case "ClassDef":
                DefineClass(statement);
                return false;
            case "Return":
                returned = statement.Node("value") is { } result ? Evaluate(result) : ConstValue.None;
                if (returned is DataFrameValue frame)
                {
                    Add(new ReturnFact(frame) { File = _file, Line = statement.Line });
                }

                return true;
            case "Import":
                foreach (var alias in statement.Nodes("names"))
                {
                    var name = alias.Str("name") ?? string.Empty;
                    Bind(alias.Str("asname") ?? name.Split('.')[0], new ModuleValue(alias.Str("asname") is null ? name.Split('.')[0] : name));
                }

                return false;
            case "ImportFrom":
                var module = statement.Str("module") ?? string.Empty;
                var level = statement.Const("level") is long l ? (int)l : 0;
                var local = _job.ModuleFile(module, level, _file);
                foreach (var alias in statement.Nodes("names"))
                {
                    var name = alias.Str("name") ?? string.Empty;
                    if (name == "*")
                    {
                        // from pyspark.sql.functions import *: its names resolve on first use.
                        _starModules.Add(Builtins.FromImport(module, "*") is ModuleValue star ? star.Name[..^2] : module);
                        continue;
                    }

                    var imported = local is not null ? ImportFromJob(local, name) : null;
                    imported ??= level > 0 ? ImportFromJob(_job.ModuleFile(string.IsNullOrEmpty(module) ? name : module + "." + name, level, _file), null) : null;
                    Bind(alias.Str("asname") ?? name, imported ?? Builtins.FromImport(module, name));
                }

                return false;
            case "Raise":
                if (statement.Node("exc") is { } raised)
                {
                    Evaluate(raised);
                }

                return false;
            case "Assert":
                Evaluate(statement.Node("test"));
                return false;
            case "Delete":
            case "Pass":
            case "Break":
            case "Continue":
            case "Global":
            case "Nonlocal":
                return false;
            case "Match":
                Evaluate(statement.Node("subject"));
                foreach (var @case in statement.Nodes("cases"))
                {
                    ExecuteBlock(@case.Nodes("body"), out _);
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Numbers in module-level UPPER_CASE constants (thresholds, bands, windows) are
    /// business rules written as code: each becomes a magic-number candidate.</summary>
    private void RecordNamedConstants(PyNode assignment)
    {
        if (_functions.Count > 0 || assignment.Nodes("targets") is not [{ Kind: "Name" } target] || target.Str("id") is not { } name
            || name != name.ToUpperInvariant())
        {
            return;
        }

        var value = assignment.Node("value");
        if (value is null || value.Walk().Any(n => n.Is("Call")))
        {
            return;
        }

        foreach (var constant in value.Walk().Where(n => n.Is("Constant") && n.Const() is long or double))
        {
            var text = Convert.ToString(constant.Const(), System.Globalization.CultureInfo.InvariantCulture)!;
            Add(new NumberFact(text, "constant " + name) { File = _file, Line = constant.Line });
        }
    }

    private void DefineFunction(PyNode definition)
    {
        var name = definition.Str("name") ?? "function";
        var function = new FunctionValue(definition, name) { File = _file, Home = this };
        var decorators = definition.Nodes("decorator_list");
        foreach (var decorator in decorators)
        {
            var callee = decorator.Is("Call") ? decorator.Node("func")! : decorator;
            var dotted = Dotted(callee);
            if (dotted is "udf" or "F.udf" or "functions.udf" or "pandas_udf" or "F.pandas_udf" or "functions.pandas_udf" or "pyspark.sql.functions.udf" or "pyspark.sql.functions.pandas_udf")
            {
                var isPandas = dotted.EndsWith("pandas_udf", StringComparison.Ordinal);
                Bind(name, new UdfValue(name, definition.Line, isPandas));
                Add(new UdfFact(name, isPandas ? "pandas_udf" : "udf", "definition") { File = _file, Line = definition.Line });
                WalkRowFunction(function);
                return;
            }
        }

        _definitions[name] = definition;
        _functionValues[name] = function;
        Bind(name, function);
        if (DltDataset(decorators, name) is { } dataset)
        {
            DefineDltDataset(function, dataset, definition.Line);
        }
    }

    private bool ExecuteIf(PyNode statement, out PyValue? returned)
    {
        returned = null;
        var test = statement.Node("test")!;
        if (IsMainGuard(test))
        {
            return ExecuteBlock(statement.Nodes("body"), out returned);
        }

        var condition = Evaluate(test);
        CheckTruthiness(test, condition);
        if (condition is ConstValue { Value: bool known })
        {
            return ExecuteBlock(known ? statement.Nodes("body") : statement.Nodes("orelse"), out returned);
        }

        // Both branches may run; neither return ends the caller's block.
        ExecuteBlock(statement.Nodes("body"), out var first);
        ExecuteBlock(statement.Nodes("orelse"), out var second);
        returned = second ?? first;
        return false;
    }

    private static bool IsMainGuard(PyNode test) =>
        test.Is("Compare")
        && test.Node("left") is { } left && left.Is("Name") && left.Str("id") == "__name__";

    private void ExecuteFor(PyNode statement)
    {
        var iterableNode = statement.Node("iter")!;
        var iterable = Evaluate(iterableNode);
        var target = statement.Node("target")!;
        var body = statement.Nodes("body");
        var end = statement.Span.EndLine;

        if (AsLiteralItems(iterable) is { } items && items.Length <= MaxUnroll)
        {
            var loop = new LoopContext(LoopKind.Literal, statement.Line, end, "literal list") { File = _file };
            Add(new LoopFact(LoopKind.Literal, "literal list", null, end) { File = _file, Line = statement.Line });
            WithLoop(loop, () =>
            {
                foreach (var item in items)
                {
                    Assign(target, item);
                    ExecuteBlock(body, out _);
                }

                if (items.IsEmpty)
                {
                    Assign(target, UnknownValue.Plain);
                    ExecuteBlock(body, out _);
                }
            });
        }
        else
        {
            var (kind, origin, source) = ClassifyIterable(iterable);
            var loop = new LoopContext(kind, statement.Line, end, origin) { File = _file };
            Add(new LoopFact(kind, origin, source, end) { File = _file, Line = statement.Line, Iterable = Describe(iterableNode) });
            WithLoop(loop, () =>
            {
                Assign(target, ElementOf(iterable, statement.Line));
                ExecuteBlock(body, out _);
            });
        }

        ExecuteBlock(statement.Nodes("orelse"), out _);
    }

    private void ExecuteWhile(PyNode statement)
    {
        var loop = new LoopContext(LoopKind.While, statement.Line, statement.Span.EndLine, "while") { File = _file };
        Add(new LoopFact(LoopKind.While, "while", null, statement.Span.EndLine) { File = _file, Line = statement.Line });
        WithLoop(loop, () =>
        {
            Evaluate(statement.Node("test"));
            ExecuteBlock(statement.Nodes("body"), out _);
        });
    }

    private bool ExecuteTry(PyNode statement, out PyValue? returned)
    {
        var done = ExecuteBlock(statement.Nodes("body"), out returned);
        foreach (var handler in statement.Nodes("handlers"))
        {
            RecordHandler(handler);
            _exceptDepth++;
            try
            {
                if (handler.Str("name") is { } name)
                {
                    Bind(name, new UnknownValue("exception", Taint.None));
                }

                ExecuteBlock(handler.Nodes("body"), out _);
            }
            finally
            {
                _exceptDepth--;
            }
        }

        ExecuteBlock(statement.Nodes("orelse"), out _);
        ExecuteBlock(statement.Nodes("finalbody"), out _);
        return done;
    }

    private void RecordHandler(PyNode handler)
    {
        var type = handler.Node("type");
        var broad = type is null || Dotted(type) is "Exception" or "BaseException";
        var body = handler.Nodes("body");
        var raises = body.Any(s => s.Walk().Any(n => n.Is("Raise")));
        var handling = raises ? "re-raises" : DescribeHandling(body);
        var swallowed = !raises && body.All(s =>
            s.Is("Pass") || s.Is("Continue") || (s.Is("Expr") && IsLoggingOrPrint(s.Node("value"))) || (s.Is("Return") && s.Node("value") is null or { Kind: "Constant" }));
        Add(new ExceptFact(swallowed, broad, handling) { File = _file, Line = handler.Line });
    }

    private static string DescribeHandling(ImmutableArray<PyNode> body) =>
        body.Length == 0 ? "empty" : string.Join(", ", body.Select(s => s.Kind.ToLowerInvariant()).Distinct());

    private static bool IsLoggingOrPrint(PyNode? call)
    {
        if (call is null || !call.Is("Call"))
        {
            return false;
        }

        var dotted = Dotted(call.Node("func")!) ?? string.Empty;
        return dotted == "print" || dotted.EndsWith(".warning", StringComparison.Ordinal) || dotted.EndsWith(".warn", StringComparison.Ordinal)
            || dotted.EndsWith(".info", StringComparison.Ordinal) || dotted.EndsWith(".debug", StringComparison.Ordinal)
            || dotted.EndsWith(".error", StringComparison.Ordinal) || dotted.EndsWith(".exception", StringComparison.Ordinal);
    }

    private void WithLoop(LoopContext loop, Action body)
    {
        var saved = _loops;
        _loops = _loops.Add(loop);
        try
        {
            body();
        }
        finally
        {
            _loops = saved;
        }
    }

    private static ImmutableArray<PyValue>? AsLiteralItems(PyValue value) => value switch
    {
        ListValue list when list.Taint.IsEmpty => list.Items,
        DictValue dict when dict.Taint.IsEmpty => [.. dict.Items.Keys.Select(k => (PyValue)new ConstValue(k))],
        _ => null,
    };

    private static (LoopKind Kind, string Origin, DataFrameValue? Source) ClassifyIterable(PyValue value) => value switch
    {
        DriverDataValue { IsRowSequence: true, From: not null } rows when IsActionOrigin(rows.Origin) => (LoopKind.Rows, rows.Origin, rows.From),

        // A dict or list filled from collected rows, iterated again (totals.items()): still a
        // driver loop over the data.
        DriverDataValue { IsRowSequence: true, From: not null } rows when rows.Origin.StartsWith("dict of", StringComparison.Ordinal) || rows.Origin.StartsWith("accumulated", StringComparison.Ordinal) =>
            (LoopKind.Rows, rows.Origin, rows.From),
        // A Spark DataFrame is not iterable: a "frame" guessed from a parameter's name that the
        // code iterates is something else (pandas frames in applyInPandas, a list).
        DataFrameValue { Step.Kind: "parameter" } => (LoopKind.Other, "parameter", null),
        DataFrameValue frame => (LoopKind.Rows, "DataFrame iteration", frame),
        _ => (LoopKind.Other, value is UnknownValue u ? u.Description : value.GetType().Name, null),
    };

    /// <summary>Rows that came straight from a Spark action (not Python lists built from them).</summary>
    private static bool IsActionOrigin(string origin) =>
        origin.StartsWith("collect()", StringComparison.Ordinal) || origin.StartsWith("toLocalIterator()", StringComparison.Ordinal)
        || origin.StartsWith("toPandas()", StringComparison.Ordinal) || origin.StartsWith("take()", StringComparison.Ordinal)
        || origin.StartsWith("head()", StringComparison.Ordinal) || origin.StartsWith("tail()", StringComparison.Ordinal)
        || origin.StartsWith("rdd.", StringComparison.Ordinal) || origin.StartsWith("toJSON()", StringComparison.Ordinal);

    private static PyValue ElementOf(PyValue iterable, int line) => iterable switch
    {
        DriverDataValue rows => new DriverDataValue(rows.Origin + " row", rows.DataTaint with { IsRow = true }, rows.From, false, line),
        DataFrameValue frame => new DriverDataValue("row", new Taint(frame.Sources, frame.Resolve(frame.Columns.Keys), true), frame, false, line),
        ListValue list when !list.Items.IsEmpty => list.Items[0],
        _ => new UnknownValue("element", iterable.Taint),
    };

    private void Assign(PyNode target, PyValue value)
    {
        switch (target.Kind)
        {
            case "Name":
                var name = target.Str("id")!;
                // `spark = start_spark()` with a helper the analysis cannot see into (a library,
                // a wheel): the name is the convention, and the only clue there is.
                Bind(name, value is UnknownValue { Taint.IsEmpty: true } && IsSessionName(name) ? new SparkSessionValue() : value);
                break;
            case "Tuple":
            case "List":
                var elements = target.Nodes("elts");
                for (var i = 0; i < elements.Length; i++)
                {
                    var element = elements[i];
                    if (element.Is("Starred"))
                    {
                        Assign(element.Node("value")!, new UnknownValue("starred", value.Taint));
                        continue;
                    }

                    var item = value switch
                    {
                        ListValue list when i < list.Items.Length => list.Items[i],
                        DriverDataValue data => data with { IsRowSequence = false },
                        _ => new UnknownValue("unpacked", value.Taint),
                    };
                    Assign(element, item);
                }

                break;
            case "Subscript":
                AssignSubscript(target, value);
                break;
            case "Attribute":
                AssignAttribute(target, value);
                break;
            case "Starred":
                Assign(target.Node("value")!, value);
                break;
        }
    }

    private static DataFrameValue? FromOf(PyValue value) => (value as DriverDataValue)?.From;

    private void AssignSubscript(PyNode target, PyValue value)
    {
        var container = target.Node("value")!;
        var key = Evaluate(target.Node("slice"));
        if (!container.Is("Name"))
        {
            Evaluate(container);
            return;
        }

        var name = container.Str("id")!;
        var current = Lookup(name);
        switch (current)
        {
            case DictValue dict when key is ConstValue { Value: string k }:
                Bind(name, new DictValue(dict.Items.SetItem(k, value)));
                break;
            case DictValue dict:
                // A key computed from data: the dict now holds data (a driver-side lookup table),
                // and remembers the frame its rows came from.
                Bind(name, new DriverDataValue("dict of collected rows", dict.Taint.Union(value.Taint).Union(key.Taint) with { IsRow = false }, FromOf(value) ?? FromOf(key), false, target.Line));
                break;
            case DriverDataValue { Origin: "dict of collected rows" or "accumulated rows" } data:
                Bind(name, data with { DataTaint = data.DataTaint.Union(value.Taint).Union(key.Taint) with { IsRow = false }, From = data.From ?? FromOf(value) ?? FromOf(key) });
                break;
            case UnknownValue unknown:
                Bind(name, unknown with { DataTaint = unknown.DataTaint.Union(value.Taint).Union(key.Taint) });
                break;
        }
    }
}
