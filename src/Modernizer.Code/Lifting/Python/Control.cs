using System.Collections.Immutable;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Python;

/// <summary>An if whose condition is known only at run time (a count, a parameter): each branch runs
/// under its guard; variables either branch rebinds take a CASE of both; a branch that returns makes
/// the rest of the function conditional on not taking it.</summary>
internal static class Branches
{
    public static DriverInterpreterFlow Run(DriverInterpreter interpreter, Expr condition, PyNode statement, PyScope scope)
    {
        var before = scope.Locals.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var thenFlow = interpreter.RunGuardedBlock(condition, statement.Nodes("body"), scope);
        var thenValue = interpreter.LastReturned;
        var afterThen = scope.Locals.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Restore(scope, before);
        var negated = new Unary(UnaryOp.Not, condition);
        var elseFlow = interpreter.RunGuardedBlock(negated, statement.Nodes("orelse"), scope);
        var elseValue = interpreter.LastReturned;
        var afterElse = scope.Locals.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        if (thenFlow is DriverInterpreterFlow.Break or DriverInterpreterFlow.Continue || elseFlow is DriverInterpreterFlow.Break or DriverInterpreterFlow.Continue)
        {
            throw interpreter.Refuse("break or continue under a condition known only at run time", statement);
        }

        var thenReturns = thenFlow == DriverInterpreterFlow.Return;
        var elseReturns = elseFlow == DriverInterpreterFlow.Return;
        if (thenReturns && elseReturns)
        {
            interpreter.MergeReturns(condition, statement, thenValue, elseValue);
            return DriverInterpreterFlow.Return;
        }

        // Variables: the branch that falls through decides; when both do, a CASE of the two.
        foreach (var name in afterThen.Keys.Union(afterElse.Keys).ToList())
        {
            var fromThen = afterThen.TryGetValue(name, out var t) ? t : before.GetValueOrDefault(name);
            var fromElse = afterElse.TryGetValue(name, out var e) ? e : before.GetValueOrDefault(name);
            if (thenReturns)
            {
                if (fromElse is not null)
                {
                    scope.Set(name, fromElse);
                }

                continue;
            }

            if (elseReturns)
            {
                if (fromThen is not null)
                {
                    scope.Set(name, fromThen);
                }

                continue;
            }

            if (fromThen is null || fromElse is null)
            {
                // Bound in one branch only: Python leaves it unbound in the other; later use refuses.
                scope.Set(name, fromThen ?? fromElse!);
                continue;
            }

            scope.Set(name, ValueOps.Phi(condition, fromThen, fromElse, statement, interpreter));
        }

        if (thenReturns || elseReturns)
        {
            // The rest of the function runs only on the path that did not return.
            interpreter.ContinueUnder(thenReturns ? negated : condition, statement, thenReturns ? thenValue : elseValue);
        }

        return DriverInterpreterFlow.Next;
    }

    private static void Restore(PyScope scope, Dictionary<string, PyValue> values)
    {
        foreach (var (name, value) in values)
        {
            scope.Set(name, value);
        }
    }
}

/// <summary>The flow outcome of a block, visible to helpers outside the interpreter.</summary>
internal enum DriverInterpreterFlow
{
    Next,
    Return,
    Break,
    Continue,
}

/// <summary>Output checks: a raise under a condition known only at run time. When it guards a later
/// write of rows the condition is about, the write keeps it as an assertion; otherwise the rewrite
/// cannot keep the behaviour and refuses.</summary>
internal static class Checks
{
    public static void Raise(DriverInterpreter interpreter, string message, PyNode site)
    {
        if (interpreter.Row is not null)
        {
            interpreter.Row.Raise(message, site);
            return;
        }

        interpreter.PendingChecks.Add(new PendingCheck(interpreter.Guard!, message, site.Line));
    }
}

internal sealed record PendingCheck(Expr When, string Message, int Line);

/// <summary>Decorators that only wrap: the wrapper calls the wrapped function with the arguments it got
/// and returns its result (retry loops, timers, logging). Such a wrapper changes no rows on the run
/// that succeeds, which is the run the rewrite reproduces.</summary>
internal static class Wrappers
{
    public static bool IsTransparent(PyFunction decorator)
    {
        // def deco(f): def wrapper(*a, **k): ... return f(*a, **k) ...; return wrapper
        // or a decorator factory one level up.
        return Returns(decorator.Node).Any(r => IsWrapperOf(decorator.Node, r) || (FunctionNamed(decorator.Node, r) is { } inner && Returns(inner).Any(r2 => IsWrapperOf(inner, r2))));
    }

    private static IEnumerable<PyNode> Returns(PyNode function) =>
        function.Nodes("body").Where(s => s.Is("Return") && s.Node("value") is { Kind: "Name" }).Select(s => s.Node("value")!);

    private static PyNode? FunctionNamed(PyNode function, PyNode name) =>
        function.Nodes("body").FirstOrDefault(s => s.Is("FunctionDef") && s.Str("name") == name.Str("id"));

    private static bool IsWrapperOf(PyNode decorator, PyNode returned)
    {
        var parameter = decorator.Node("args")!.Nodes("args").FirstOrDefault()?.Str("arg");
        var wrapper = FunctionNamed(decorator, returned);
        if (parameter is null || wrapper is null)
        {
            return false;
        }

        // The wrapped function is called with the wrapper's own *args/**kwargs and its value returned.
        return wrapper.Walk().Any(n => n.Is("Return") && n.Node("value") is { Kind: "Call" } call
            && call.Node("func") is { Kind: "Name" } callee && callee.Str("id") == parameter
            && call.Nodes("args").All(a => a.Is("Starred")) && call.Nodes("keywords").All(k => k.Str("arg") is null));
    }
}
