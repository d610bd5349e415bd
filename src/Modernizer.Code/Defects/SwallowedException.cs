using Modernizer.Code.Frontend;

namespace Modernizer.Code.Defects;

/// <summary>A broad except that only logs or passes, and DROPMALFORMED reads that drop bad records.</summary>
internal sealed class SwallowedException : IDefectDetector
{
    public string Kind => "swallowed_exception";

    public IEnumerable<DefectHit> Detect(DefectContext context)
    {
        foreach (var e in context.Of<ExceptFact>().Where(e => e.Swallowed && (e.Broad || e.Handling.StartsWith("bad records", StringComparison.Ordinal))))
        {
            yield return new DefectHit(
                e.File,
                e.Line,
                e.Handling.StartsWith("bad records", StringComparison.Ordinal) ? $"malformed records are dropped silently ({e.Handling})" : "a broad except handler swallows the error",
                "Failures (or bad records) disappear without failing the run; downstream data is silently incomplete.",
                0.6);
        }

        // A function that catches the error and reports failure through its return value, called
        // as a statement: the failure flag is dropped and the run ends green.
        foreach (var (file, module) in context.Rules.Modules)
        {
            var flagging = module.Walk()
                .Where(n => n.Kind is "FunctionDef" or "AsyncFunctionDef" && ReturnsFailureFlag(n))
                .Select(n => n.Str("name")!)
                .ToHashSet(StringComparer.Ordinal);
            if (flagging.Count == 0)
            {
                continue;
            }

            foreach (var statement in module.Walk().Where(n => n.Is("Expr") && n.Node("value") is { Kind: "Call" } call && call.Node("func") is { Kind: "Name" } name && flagging.Contains(name.Str("id")!)))
            {
                var callee = statement.Node("value")!.Node("func")!.Str("id");
                yield return new DefectHit(file, statement.Line,
                    $"the result of {callee}() is ignored: it catches the error and returns a failure flag",
                    $"{callee}() handles exceptions by returning False/None instead of raising; the caller drops that value, so a failed step ends the run successfully without its output.",
                    0.65);
            }
        }
    }

    private static bool ReturnsFailureFlag(Python.PyNode function)
    {
        var body = function.Nodes("body");
        var catches = body.SelectMany(s => s.Walk()).Any(n => n.Is("ExceptHandler") && !n.Walk().Any(x => x.Is("Raise")));
        var last = body.LastOrDefault();
        return catches && last is { Kind: "Return" } && last.Node("value") is { Kind: "Constant" } value && value.Const() is false or null;
    }
}
