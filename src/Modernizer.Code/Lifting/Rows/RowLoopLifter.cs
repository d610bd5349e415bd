using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>Lifts a Python loop over collected rows (or over a list or dict an earlier loop built)
/// into set-based plans (P2): the body runs once on a symbolic row (<see cref="RowContext"/>), then
/// the lifting rules turn its effects into relations: appended rows → a projection of the filtered
/// rows; a dict filled per key → an aggregate per key (sum fold, first/last seen, flags); values read
/// from a dict before the row updates it → ordered windows; lookups into earlier dicts → left joins;
/// break → the rows before the first break; raises → output checks.</summary>
internal static class RowLoopLifter
{
    /// <summary>What the loop iterates, as a relation, and how its loop variable looks.</summary>
    private sealed record LoopSource(Frame Frame, ImmutableArray<SortItem> Order, Func<RowContext, PyValue> Bind, string Describe);

    public static bool TryLift(DriverInterpreter interpreter, PyValue iterable, PyNode loop, PyScope scope)
    {
        if (Source(interpreter, iterable, loop) is not { } source)
        {
            return false;
        }

        var context = Run(interpreter, source, loop, scope, c =>
        {
            interpreter.Assign(loop.Node("target")!, source.Bind(c), scope);
            var result = interpreter.RunLoopBody(loop, scope);
            if (result.Returned)
            {
                throw interpreter.Refuse("return from inside a lifted loop", loop);
            }

            if (result.Broke)
            {
                throw interpreter.Refuse("an unconditional break (the loop visits one row)", loop);
            }
        });
        interpreter.Translation.Lifted(new LiftedPattern("ITR01", interpreter.File, interpreter.LineOf(loop), loop.Span.EndLine + interpreter.LineOffset, $"loop over {source.Describe}"));
        return context is not null;
    }

    /// <summary>[expr for x in rows if cond]: a projection of the filtered rows.</summary>
    public static PyValue LiftComprehension(DriverInterpreter interpreter, PyNode node, PyScope scope)
    {
        var generator = node.Nodes("generators")[0];
        var iterable = interpreter.Evaluate(generator.Node("iter")!, scope);
        var source = Source(interpreter, iterable, node) ?? throw interpreter.Refuse($"a comprehension over a {iterable.TypeName}", node);
        var inner = new PyScope(scope, "<comprehension>");
        var result = new PyList([]);
        var context = Run(interpreter, source, node, inner, c =>
        {
            interpreter.Assign(generator.Node("target")!, source.Bind(c), inner);
            var condition = generator.Nodes("ifs").Select(i => Truth.Of(interpreter.Condition(i, inner), i, interpreter)).Aggregate((Expr)Literal.Of(true), (a, b) => new Binary(BinaryOp.And, a, b));
            interpreter.RunGuardedValue(condition, () =>
            {
                var value = node.Is("DictComp") ? throw interpreter.Refuse("a dict comprehension over rows", node) : interpreter.Evaluate(node.Node("elt")!, inner);
                c.AppendForComprehension(result, value, node);
            });
        }, comprehensionResult: result);
        interpreter.Translation.Lifted(new LiftedPattern("ITR01", interpreter.File, interpreter.LineOf(node), node.Span.EndLine + interpreter.LineOffset, $"comprehension over {source.Describe}"));
        return context!.Lifted.TryGetValue(result, out var lifted) ? lifted : throw interpreter.Refuse("a comprehension whose rows could not be lifted", node);
    }

    private static LoopSource? Source(DriverInterpreter interpreter, PyValue iterable, PyNode site)
    {
        switch (iterable)
        {
            case CollectedRows { Via: "collect" or "toLocalIterator" } rows:
                return new LoopSource(rows.Frame, RowOrders.SortItems(interpreter, rows.Frame, site), c => c.RowOf(pandas: false), "collected rows");
            case CollectedRows { Via: "iterrows" } rows:
                interpreter.Translation.Assume(new RewriteAssumption("pandas-conversion", "toPandas() runs without Arrow: numbers with missing values become float64 NaN, dates stay datetime.date, decimals stay Decimal or None.", 0.8, "with Arrow (dates become pandas Timestamps)", null, interpreter.File, interpreter.LineOf(site)));
                return new LoopSource(rows.Frame, RowOrders.SortItems(interpreter, rows.Frame, site), c => new PyTuple([new PyUnknown("the pandas index", site.Line), c.RowOf(pandas: true)]), "pandas rows");
            case CollectedRows rows:
                throw interpreter.Refuse($"iterating the result of {rows.Via}()", site);
            case RowSetValue set:
                return new LoopSource(set.Frame, RowOrders.SortItems(interpreter, set.Frame, site), c => c.TupleOf(set), "rows built in an earlier loop");
            case KeyedView view:
                return new LoopSource(view.Dict.Frame, RowOrders.SortItems(interpreter, view.Dict.Frame, site), c => c.ItemOf(view.Dict, view.Kind), "a dict built in an earlier loop");
            case KeyedValue keyed:
                return new LoopSource(keyed.Frame, RowOrders.SortItems(interpreter, keyed.Frame, site), c => c.ItemOf(keyed, "keys"), "the keys of a dict built in an earlier loop");
            case Enumerated { Source: var inner } enumerated when Source(interpreter, inner, site) is { } source:
                return source with { Bind = c => new PyTuple([c.Position(enumerated.Start), source.Bind(c)]), Describe = "enumerated " + source.Describe };
            default:
                return null;
        }
    }

    private static RowContext? Run(DriverInterpreter interpreter, LoopSource source, PyNode loop, PyScope scope, Action<RowContext> body, PyList? comprehensionResult = null)
    {
        if (interpreter.Row is not null)
        {
            throw interpreter.Refuse("a loop over rows inside another lifted loop", loop);
        }

        var reachable = Reachable(interpreter, scope);
        var (frame, order) = RowSets.WithScanPosition(interpreter, source.Frame, source.Order, loop);
        var context = new RowContext(interpreter, loop, frame, order, reachable);
        if (comprehensionResult is not null)
        {
            context.MarkResult(comprehensionResult);
        }

        var carried = Carried(loop, scope);
        foreach (var (name, initial) in carried)
        {
            scope.Set(name, context.CarriedMarker(name, initial, loop));
        }

        var before = scope.Locals.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        interpreter.Row = context;
        try
        {
            body(context);
        }
        finally
        {
            interpreter.Row = null;
        }

        var finalValues = carried.ToDictionary(c => c.Name, c => scope.TryGet(c.Name, out var v) ? v : c.Initial, StringComparer.Ordinal);
        var lifted = context.Lift(finalValues);

        // Rebind what the loop built: lists and dicts become relations; carried scalars their folds.
        foreach (var scopeToFix in ScopeChain(interpreter, scope))
        {
            foreach (var (name, value) in scopeToFix.Locals.ToList())
            {
                if (value is PyList or PyDict && lifted.TryGetValue(value, out var relation))
                {
                    scopeToFix.Set(name, relation);
                }
            }
        }

        foreach (var (name, value) in context.CarriedResults)
        {
            scope.Set(name, value);
        }

        // Variables the body assigned that did not exist before: the last iteration's values, unknown.
        foreach (var (name, value) in scope.Locals.ToList())
        {
            if (!before.Contains(name) && !carried.Any(c => c.Name == name))
            {
                scope.Set(name, new PyUnknown($"'{name}' after the loop (its last iteration's value)", loop.Line));
            }
        }

        return context;
    }

    private static IEnumerable<PyScope> ScopeChain(DriverInterpreter interpreter, PyScope scope)
    {
        for (var s = scope; s is not null; s = s.Parent)
        {
            yield return s;
        }

        foreach (var frameScope in interpreter.FrameScopes)
        {
            yield return frameScope;
        }
    }

    private static List<PyValue> Reachable(DriverInterpreter interpreter, PyScope scope) =>
        [.. ScopeChain(interpreter, scope).SelectMany(s => s.Locals.Select(p => p.Value))];

    /// <summary>Outer variables the body rebinds (counters, running totals kept in plain variables).</summary>
    private static List<(string Name, PyValue Initial)> Carried(PyNode loop, PyScope scope)
    {
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in loop.Nodes("body").SelectMany(s => s.Walk()))
        {
            switch (node.Kind)
            {
                case "AugAssign" when node.Node("target") is { Kind: "Name" } target:
                    assigned.Add(target.Str("id")!);
                    break;
                case "Assign":
                    foreach (var target in node.Nodes("targets").Where(t => t.Is("Name")))
                    {
                        assigned.Add(target.Str("id")!);
                    }

                    break;
            }
        }

        return [.. assigned.Where(scope.HasLocal).Select(n => (n, scope.TryGet(n, out var v) ? v : PyNone.Instance))
            .Where(p => p.Item2 is PyInt or PyFloat or PyDecimal or PyBool or PyStr)];
    }
}
