using System.Collections.Immutable;
using System.Numerics;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Python;

/// <summary>Runs the legacy driver program symbolically, straight from CPython's AST: concrete values
/// are computed as Python computes them; Spark calls build plans; values only known per row or per
/// run (collected fields, parameters, counts) are SQL expressions with their Python type, so every
/// operator keeps Python's meaning. Loops over collected rows are handed to the row-program lifter.
/// Anything outside what it can reproduce exactly raises <see cref="RewriteRefusedException"/> with
/// its file and line.</summary>
internal sealed partial class DriverInterpreter
{
    private const int MaxCallDepth = 40;
    private const int MaxUnroll = 10_000;

    private readonly JobTranslation _translation;
    private readonly ParameterBinder _parameters;
    private readonly SqlStatementTranslator _sql;
    private readonly LiftSettings _settings;
    private readonly FrameIds _ids = new();
    private readonly PyScope _builtins;
    private int _depth;

    /// <summary>The guard of the code being run: null at the top level; a SQL condition inside a
    /// branch whose condition is known only at run time (writes and returns under it are conditional).</summary>
    private Expr? _guard;

    /// <summary>The allocation clock when the innermost condition known only at run time began (null
    /// outside any): a list, dict, set or object born at or before it is changed on one path only.</summary>
    private long? _conditionalSince;

    public DriverInterpreter(JobTranslation translation, ParameterBinder parameters, LiftSettings settings, string file)
    {
        _translation = translation;
        _parameters = parameters;
        _settings = settings;
        _sql = new SqlStatementTranslator(parameters);
        File = file;
        _builtins = new PyScope(null, "builtins");
        Module = new PyScope(_builtins, "__main__");
        Spark = new SparkApi(this);
        Builtins.Install(this, _builtins);
        Module.Set("__name__", new PyStr("__main__"));
    }

    public string File { get; set; }

    public PyScope Module { get; }

    public SparkApi Spark { get; }

    public JobTranslation Translation => _translation;

    public ParameterBinder Parameters => _parameters;

    public SqlStatementTranslator Sql => _sql;

    public LiftSettings Settings => _settings;

    public FrameIds Ids => _ids;

    public Expr? Guard => _guard;

    /// <summary>The loop being lifted, when the interpreter runs a loop body symbolically.</summary>
    public Rows.RowContext? Row { get; set; }

    public RewriteRefusedException Refuse(string reason, PyNode? at) => new(reason, File, LineOf(at));

    /// <summary>The line in the file (a notebook cell's lines are offset by the cell's first line).</summary>
    public int LineOf(PyNode? node) => node is null ? 0 : node.Line + LineOffset;

    /// <summary>Lines before the cell being run (0 for a plain file).</summary>
    public int LineOffset { get; set; }

    /// <summary>sys.argv as the scheduler starts the job.</summary>
    public PyValue Argv { get; set; } = new PyList([new PyStr("main.py")]);

    /// <summary>Databricks notebooks have spark, dbutils and display in scope.</summary>
    public bool IsNotebook { get; init; }

    public void InstallNotebookGlobals()
    {
        _builtins.Set("spark", Spark.Session);
        _builtins.Set("dbutils", SparkApi.DbUtils);
        _builtins.Set("display", new PyBuiltin("display", _ => PyNone.Instance));
        _builtins.Set("displayHTML", new PyBuiltin("displayHTML", _ => PyNone.Instance));
    }

    /// <summary>A parameter's value where the code needs it concretely (it decides the job's shape: a
    /// list to loop over, a table name): the default, with an assumption naming the parameter.</summary>
    public PyValue? Freeze(PyValue value, string use, PyNode? site)
    {
        if (value is not SqlScalar { Known: { } known } scalar || known is SqlScalar)
        {
            return null;
        }

        var names = ExprTree.Descendants(scalar.Sql).Prepend(scalar.Sql).OfType<Placeholder>().Select(p => p.Name).Distinct().ToList();
        if (names.Count == 0)
        {
            return null;
        }

        foreach (var name in names)
        {
            Translation.Assume(new RewriteAssumption("specialised-" + name,
                $"The parameter {name} is used as {use}; the rewrite is specialised to its default ({PySemantics.ConcreteText(known) ?? known.TypeName}). Another value needs the rewrite to be generated again.",
                0.7, "generate the rewrite again for the other value", name, File, LineOf(site)));
        }

        return known;
    }

    /// <summary>The scopes of the functions being run (innermost first).</summary>
    public IEnumerable<PyScope> FrameScopes => _frames.Select(f => f.Scope);

    /// <summary>Runs an action under an extra guard (a comprehension's if, inside a lifted loop).</summary>
    internal void RunGuardedValue(Expr condition, Action action)
    {
        var saved = _guard;
        var savedSince = _conditionalSince;
        _guard = saved is null ? condition : new Binary(BinaryOp.And, saved, condition);
        _conditionalSince = PyHeapValue.Now;
        try
        {
            action();
        }
        finally
        {
            _guard = saved;
            _conditionalSince = savedSince;
        }
    }

    /// <summary>Evaluates an operand Python evaluates only on some paths (a branch of a conditional
    /// expression, the right side of and/or) when that depends on data: the guard of writes stays as
    /// it was, but changes it makes to existing objects are conditional.</summary>
    internal PyValue EvaluateConditionally(PyNode node, PyScope scope)
    {
        var saved = _conditionalSince;
        _conditionalSince = PyHeapValue.Now;
        try
        {
            return Evaluate(node, scope);
        }
        finally
        {
            _conditionalSince = saved;
        }
    }

    /// <summary>Called before every change to a list, dict, set or object. Under a condition known only
    /// at run time, a change to an object that existed before the condition was taken happens on one
    /// path only, while the lift keeps one heap for both: its content is then unknown, and any later use
    /// that needs it refuses (see <see cref="Deref"/>); an object nobody reads again does not matter.</summary>
    public void Mutating(PyValue target, PyNode site)
    {
        if (_conditionalSince is { } since && target is PyHeapValue { Uncertain: null } heap && heap.Born <= since)
        {
            heap.Uncertain = $"{Describe(target, site)} changed at line {LineOf(site)} under a condition known only at run time";
        }
    }

    /// <summary>An object whose content became unknown reads as an unknown value: logging it is fine,
    /// using it for output or a decision refuses with the reason.</summary>
    public PyValue Deref(PyValue value, PyNode site) =>
        value is PyHeapValue { Uncertain: { } reason } ? new PyUnknown(reason, site.Line) : value;

    private static string Describe(PyValue target, PyNode site)
    {
        // The receiver as written (flags.append(...), totals[k] = v, self.x = v), for the message.
        var receiver = site.Kind switch
        {
            "Call" => site.Node("func")?.Node("value"),
            "Subscript" or "Attribute" => site.Node("value"),
            "AugAssign" => site.Node("target"),
            _ => null,
        };
        return receiver is { Kind: "Name" } name ? $"the {target.TypeName} '{name.Str("id")}'"
            : receiver is { Kind: "Attribute" } attribute ? $"the {target.TypeName} '.{attribute.Str("attr")}'"
            : $"a {target.TypeName}";
    }

    /// <summary>Runs a module (a file, or one notebook cell: cells share the module namespace).</summary>
    public void RunModule(PyNode module)
    {
        Execute(module.Nodes("body"), Module);
    }

    private sealed class Frame(PyScope scope, Expr? entryGuard, long? entrySince)
    {
        public PyScope Scope { get; } = scope;

        public Expr? EntryGuard { get; } = entryGuard;

        public long? EntrySince { get; } = entrySince;

        public PyValue Returned { get; set; } = PyNone.Instance;

        /// <summary>Returns taken under a condition known only at run time, in order.</summary>
        public List<(Expr When, PyValue Value)> EarlyReturns { get; } = [];
    }

    /// <summary>Raises under a condition known only at run time, waiting for the write they guard.</summary>
    public List<PendingCheck> PendingChecks { get; } = [];

    private readonly Stack<Frame> _frames = new();

    private DriverInterpreterFlow Execute(ImmutableArray<PyNode> statements, PyScope scope)
    {
        foreach (var statement in statements)
        {
            var flow = Execute(statement, scope);
            if (flow != DriverInterpreterFlow.Next)
            {
                return flow;
            }
        }

        return DriverInterpreterFlow.Next;
    }

    private DriverInterpreterFlow Execute(PyNode statement, PyScope scope)
    {
        switch (statement.Kind)
        {
            case "Expr":
                Evaluate(statement.Node("value")!, scope);
                return DriverInterpreterFlow.Next;
            case "Assign":
                var value = Evaluate(statement.Node("value")!, scope);
                foreach (var target in statement.Nodes("targets"))
                {
                    Assign(target, value, scope);
                }

                return DriverInterpreterFlow.Next;
            case "AnnAssign":
                if (statement.Node("value") is { } annotated)
                {
                    Assign(statement.Node("target")!, Evaluate(annotated, scope), scope);
                }

                return DriverInterpreterFlow.Next;
            case "AugAssign":
                var augTarget = statement.Node("target")!;
                var current = Evaluate(augTarget, scope);
                var operand = Evaluate(statement.Node("value")!, scope);
                Assign(augTarget, BinaryOperation(statement.Node("op")!.Kind, current, operand, statement, inPlace: true), scope);
                return DriverInterpreterFlow.Next;
            case "If":
                return ExecuteIf(statement, scope);
            case "For":
                return ExecuteFor(statement, scope);
            case "While":
                return ExecuteWhile(statement, scope);
            case "With":
                foreach (var item in statement.Nodes("items"))
                {
                    var context = Evaluate(item.Node("context_expr")!, scope);
                    if (item.Node("optional_vars") is { } alias)
                    {
                        Assign(alias, context, scope);
                    }
                }

                return Execute(statement.Nodes("body"), scope);
            case "Try":
                return ExecuteTry(statement, scope);
            case "FunctionDef":
                Define(statement, scope);
                return DriverInterpreterFlow.Next;
            case "ClassDef":
                scope.Set(statement.Str("name")!, new PyClass(statement.Str("name")!, statement, scope));
                return DriverInterpreterFlow.Next;
            case "Return":
                if (_frames.Count == 0)
                {
                    throw Refuse("return outside a function", statement);
                }

                _frames.Peek().Returned = statement.Node("value") is { } returned ? Evaluate(returned, scope) : PyNone.Instance;
                return DriverInterpreterFlow.Return;
            case "Import":
                foreach (var alias in statement.Nodes("names"))
                {
                    var name = alias.Str("name")!;
                    scope.Set(alias.Str("asname") ?? name.Split('.')[0], Modules.Import(this, alias.Str("asname") is null ? name.Split('.')[0] : name, statement));
                }

                return DriverInterpreterFlow.Next;
            case "ImportFrom":
                var module = statement.Str("module") ?? string.Empty;
                foreach (var alias in statement.Nodes("names"))
                {
                    var name = alias.Str("name")!;
                    if (name == "*")
                    {
                        throw Refuse($"from {module} import *", statement);
                    }

                    scope.Set(alias.Str("asname") ?? name, Modules.ImportFrom(this, module, name, statement));
                }

                return DriverInterpreterFlow.Next;
            case "Global":
                foreach (var name in statement.Strings("names"))
                {
                    scope.DeclareGlobal(name);
                }

                return DriverInterpreterFlow.Next;
            case "Nonlocal":
                return DriverInterpreterFlow.Next;
            case "Pass":
                return DriverInterpreterFlow.Next;
            case "Break":
                return DriverInterpreterFlow.Break;
            case "Continue":
                return DriverInterpreterFlow.Continue;
            case "Raise":
                return ExecuteRaise(statement, scope);
            case "Assert":
                var test = Condition(statement.Node("test")!, scope);
                if (Truth.TryConcrete(test) is false)
                {
                    throw Refuse("the legacy job fails here (assert) with its default parameters", statement);
                }

                return DriverInterpreterFlow.Next;
            case "Delete":
                foreach (var target in statement.Nodes("targets"))
                {
                    if (target.Is("Subscript") && Evaluate(target.Node("value")!, scope) is PyDict dict)
                    {
                        var key = Evaluate(target.Node("slice")!, scope);
                        Mutating(dict, target);
                        dict.Entries.RemoveAll(e => PyEquality.KeyEquals(e.Key, key));
                    }
                }

                return DriverInterpreterFlow.Next;
            default:
                throw Refuse($"the Python statement {statement.Kind}", statement);
        }
    }

    private void Define(PyNode definition, PyScope scope)
    {
        var name = definition.Str("name")!;
        var arguments = definition.Node("args")!;
        var defaults = arguments.Nodes("defaults").Select(d => (PyValue?)Evaluate(d, scope)).ToImmutableArray();
        var keywordDefaults = arguments.Nodes("kw_defaults").Select(d => d is null ? null : (PyValue?)Evaluate(d, scope)).ToImmutableArray();
        PyValue function = new PyFunction(name, definition, scope, defaults, keywordDefaults);

        // Decorators apply bottom-up; a decorator the translator sees through keeps the function.
        foreach (var decorator in definition.Nodes("decorator_list").Reverse())
        {
            function = Decorate(decorator, function, scope);
        }

        scope.Set(name, function);
    }

    private DriverInterpreterFlow ExecuteIf(PyNode statement, PyScope scope)
    {
        var condition = Condition(statement.Node("test")!, scope);
        switch (Truth.TryConcrete(condition))
        {
            case true:
                return Execute(statement.Nodes("body"), scope);
            case false:
                return Execute(statement.Nodes("orelse"), scope);
        }

        var sql = Truth.Of(condition, statement, this);
        if (Row is not null && FrameDepth == Row.LoopFrameDepth)
        {
            return Row.Branch(sql, statement, scope);
        }

        return Branches.Run(this, sql, statement, scope);
    }

    /// <summary>Runs a block under an extra guard (one branch of a condition known only at run time).</summary>
    internal DriverInterpreterFlow RunGuardedBlock(Expr guard, ImmutableArray<PyNode> body, PyScope scope)
    {
        var saved = _guard;
        var savedSince = _conditionalSince;
        _guard = saved is null ? guard : new Binary(BinaryOp.And, saved, guard);
        _conditionalSince = PyHeapValue.Now;
        try
        {
            return Execute(body, scope);
        }
        finally
        {
            _guard = saved;
            _conditionalSince = savedSince;
        }
    }

    private DriverInterpreterFlow ExecuteFor(PyNode statement, PyScope scope)
    {
        var iterable = Evaluate(statement.Node("iter")!, scope);
        var target = statement.Node("target")!;
        if (Iteration.TryConcrete(iterable, this, statement) is { } items)
        {
            if (items.Count > MaxUnroll)
            {
                throw Refuse($"a loop over {items.Count} items", statement);
            }

            foreach (var item in items)
            {
                Assign(target, item, scope);
                var flow = ExecuteIteration(statement, scope);
                if (flow == DriverInterpreterFlow.Break)
                {
                    return DriverInterpreterFlow.Next;
                }

                if (flow == DriverInterpreterFlow.Return)
                {
                    return flow;
                }
            }

            return statement.Nodes("orelse").IsEmpty ? DriverInterpreterFlow.Next : Execute(statement.Nodes("orelse"), scope);
        }

        if (Rows.RowLoopLifter.TryLift(this, iterable, statement, scope))
        {
            return DriverInterpreterFlow.Next;
        }

        throw iterable is PyUnknown unknown
            ? Refuse(unknown.Reason + " is iterated", statement)
            : Refuse($"a loop over {iterable.TypeName} values the rewriter cannot lift", statement);
    }

    /// <summary>Runs a loop body once for the lifter (the row program), with its own flow handling.</summary>
    internal LoopBodyResult RunLoopBody(PyNode loop, PyScope scope)
    {
        var flow = ExecuteIteration(loop, scope);
        return new LoopBodyResult(flow == DriverInterpreterFlow.Break, flow == DriverInterpreterFlow.Continue, flow == DriverInterpreterFlow.Return);
    }

    internal sealed record LoopBodyResult(bool Broke, bool Continued, bool Returned);

    /// <summary>One pass of a loop body. A continue taken under a run-time condition restricts only the
    /// rest of this pass: the guard is restored for the next pass and for the code after the loop.</summary>
    private DriverInterpreterFlow ExecuteIteration(PyNode loop, PyScope scope)
    {
        var saved = _guard;
        var savedSince = _conditionalSince;
        try
        {
            return Execute(loop.Nodes("body"), scope);
        }
        finally
        {
            _guard = saved;
            _conditionalSince = savedSince;
        }
    }

    /// <summary>Both branches of a run-time condition returned: the function's value is a CASE of the two.</summary>
    internal void MergeReturns(Expr condition, PyNode site, PyValue thenValue, PyValue elseValue)
    {
        var frame = _frames.Count > 0 ? _frames.Peek() : throw Refuse("return outside a function", site);
        frame.Returned = ValueOps.Phi(condition, thenValue, elseValue, site, this);
    }

    /// <summary>One branch of a run-time condition returned <paramref name="value"/>: the rest of the
    /// function runs only when <paramref name="stillRunning"/> holds.</summary>
    internal void ContinueUnder(Expr stillRunning, PyNode site, PyValue value)
    {
        var frame = _frames.Count > 0 ? _frames.Peek() : throw Refuse("return outside a function", site);
        // The return happens on this path only: inside a branch (an elif), the branch's own guard is part
        // of its condition, or a return registered inside the else of an outer if would win over the if's.
        Expr returned = new Unary(UnaryOp.Not, stillRunning);
        frame.EarlyReturns.Add((_guard is null || ReferenceEquals(_guard, frame.EntryGuard) ? returned : new Binary(BinaryOp.And, _guard, returned), value));
        _guard = _guard is null ? stillRunning : new Binary(BinaryOp.And, _guard, stillRunning);
        _conditionalSince = PyHeapValue.Now;
    }

    public int FrameDepth => _frames.Count;

    /// <summary>The rest of the current block runs only where <paramref name="condition"/> holds (after
    /// a continue taken under the opposite condition).</summary>
    internal void RestrictGuard(Expr condition)
    {
        _guard = _guard is null ? condition : new Binary(BinaryOp.And, _guard, condition);
        _conditionalSince = PyHeapValue.Now;
    }

    /// <summary>The value the innermost function returned last (read right after a block returned).</summary>
    internal PyValue LastReturned => _frames.Count > 0 ? _frames.Peek().Returned : PyNone.Instance;

    private DriverInterpreterFlow ExecuteWhile(PyNode statement, PyScope scope)
    {
        for (var i = 0; i < MaxUnroll; i++)
        {
            var condition = Condition(statement.Node("test")!, scope);
            var truth = Truth.TryConcrete(condition);
            if (truth is null)
            {
                throw Refuse("a while loop whose condition depends on data", statement);
            }

            if (truth == false)
            {
                return statement.Nodes("orelse").IsEmpty ? DriverInterpreterFlow.Next : Execute(statement.Nodes("orelse"), scope);
            }

            var flow = ExecuteIteration(statement, scope);
            if (flow == DriverInterpreterFlow.Break)
            {
                return DriverInterpreterFlow.Next;
            }

            if (flow == DriverInterpreterFlow.Return)
            {
                return flow;
            }
        }

        throw Refuse($"a while loop running more than {MaxUnroll} times", statement);
    }

    /// <summary>try/except: the legacy job's normal path is the try body (the rewrite reproduces the
    /// run that succeeds); handlers only matter when they change output, which a retry loop does not.</summary>
    private DriverInterpreterFlow ExecuteTry(PyNode statement, PyScope scope)
    {
        var flow = Execute(statement.Nodes("body"), scope);
        if (flow == DriverInterpreterFlow.Next && !statement.Nodes("orelse").IsEmpty)
        {
            flow = Execute(statement.Nodes("orelse"), scope);
        }

        if (!statement.Nodes("finalbody").IsEmpty)
        {
            var after = Execute(statement.Nodes("finalbody"), scope);
            if (after != DriverInterpreterFlow.Next)
            {
                return after;
            }
        }

        return flow;
    }

    private DriverInterpreterFlow ExecuteRaise(PyNode statement, PyScope scope)
    {
        if (_guard is null && Row is null)
        {
            // Reached unconditionally with the default parameters: the legacy job itself fails.
            throw Refuse("the legacy job raises here with its default parameters", statement);
        }

        var message = statement.Node("exc") is { } exc ? Describe(exc) : "the legacy job raised an exception";
        Checks.Raise(this, message, statement);
        return DriverInterpreterFlow.Return;
    }

    private static string Describe(PyNode exc) =>
        exc.Is("Call") && exc.Nodes("args") is { Length: > 0 } args && args[0].Is("Constant") && args[0].Const() is string text
            ? $"{exc.Node("func")?.Str("id") ?? "Exception"}: {text}"
            : "the legacy job raised an exception";

    public PyValue Evaluate(PyNode node, PyScope scope) => Deref(EvaluateExpression(node, scope), node);

    /// <summary>Calls a user function with evaluated arguments.</summary>
    public PyValue CallFunction(PyFunction function, CallArguments arguments)
    {
        if (++_depth > MaxCallDepth)
        {
            _depth--;
            throw Refuse($"calls nested deeper than {MaxCallDepth} (recursion?) in {function.Name}", arguments.Site);
        }

        try
        {
            var scope = new PyScope(function.Closure, function.Name);
            BindArguments(function, arguments, scope);
            if (function.IsLambda)
            {
                return Evaluate(function.Node.Node("body")!, scope);
            }

            var frame = new Frame(scope, _guard, _conditionalSince);
            _frames.Push(frame);
            try
            {
                var flow = Execute(function.Node.Nodes("body"), scope);
                var result = flow == DriverInterpreterFlow.Return ? frame.Returned : PyNone.Instance;
                for (var i = frame.EarlyReturns.Count - 1; i >= 0; i--)
                {
                    result = ValueOps.Phi(frame.EarlyReturns[i].When, frame.EarlyReturns[i].Value, result, arguments.Site, this);
                }

                return result;
            }
            finally
            {
                _frames.Pop();
                _guard = frame.EntryGuard;
                _conditionalSince = frame.EntrySince;
            }
        }
        finally
        {
            _depth--;
        }
    }

    private void BindArguments(PyFunction function, CallArguments arguments, PyScope scope)
    {
        var args = function.Node.Node("args")!;
        var positional = args.Nodes("posonlyargs").AddRange(args.Nodes("args"));
        var names = positional.Select(a => a.Str("arg")!).ToList();
        var bound = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Positional.Length; i++)
        {
            if (i < names.Count)
            {
                scope.Set(names[i], arguments.Positional[i]);
                bound.Add(names[i]);
            }
            else if (args.Node("vararg") is { } vararg)
            {
                scope.Set(vararg.Str("arg")!, new PyTuple([.. arguments.Positional.Skip(names.Count)]));
                bound.Add(vararg.Str("arg")!);
                break;
            }
            else
            {
                throw Refuse($"{function.Name}() takes {names.Count} positional arguments", arguments.Site);
            }
        }

        if (args.Node("vararg") is { } star && !bound.Contains(star.Str("arg")!))
        {
            scope.Set(star.Str("arg")!, new PyTuple([]));
        }

        var keywordOnly = args.Nodes("kwonlyargs").Select(a => a.Str("arg")!).ToList();
        var extra = new PyDict();
        foreach (var (key, value) in arguments.Keywords)
        {
            if (names.Contains(key) || keywordOnly.Contains(key))
            {
                scope.Set(key, value);
                bound.Add(key);
            }
            else if (args.Node("kwarg") is not null)
            {
                extra.Set(new PyStr(key), value);
            }
            else
            {
                throw Refuse($"{function.Name}() got an unexpected keyword argument '{key}'", arguments.Site);
            }
        }

        if (args.Node("kwarg") is { } kwarg)
        {
            scope.Set(kwarg.Str("arg")!, extra);
        }

        // Defaults fill the last positional parameters.
        for (var i = 0; i < names.Count; i++)
        {
            if (bound.Contains(names[i]))
            {
                continue;
            }

            var defaultIndex = i - (names.Count - function.Defaults.Length);
            if (defaultIndex >= 0 && function.Defaults[defaultIndex] is { } fallback)
            {
                scope.Set(names[i], fallback);
            }
            else
            {
                throw Refuse($"{function.Name}() missing the argument '{names[i]}'", arguments.Site);
            }
        }

        for (var i = 0; i < keywordOnly.Count; i++)
        {
            if (!bound.Contains(keywordOnly[i]))
            {
                scope.Set(keywordOnly[i], i < function.KeywordDefaults.Length && function.KeywordDefaults[i] is { } fallback
                    ? fallback
                    : throw Refuse($"{function.Name}() missing the keyword argument '{keywordOnly[i]}'", arguments.Site));
            }
        }
    }

    internal static PyInt Int(long value) => new(new BigInteger(value));
}
