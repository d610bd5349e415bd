using Modernizer.Code.Python;

namespace Modernizer.Code.Rules;

/// <summary>ACT01: <c>df.count() == 0</c> (or &gt; 0, or its truth value) to test emptiness.</summary>
internal sealed class Act01CountForEmptiness : IRule
{
    public string Id => "ACT01";

    public string Title => "count() to test emptiness";

    public string Why => "count() scans everything to answer a yes/no question that the first row answers.";

    public string Replacement => "df.isEmpty() (or df.limit(1).count() == 0), or drop the check when the rest of the job handles no rows.";

    public IEnumerable<RuleHit> Evaluate(RuleContext context)
    {
        foreach (var (file, module) in context.Modules)
        {
            foreach (var node in module.Walk())
            {
                if (node.Is("Compare") && IsCount(node.Node("left")) && node.Nodes("comparators").Any(c => c.Is("Constant") && c.Const() is 0L or 1L))
                {
                    yield return new RuleHit(file, node.Line, node.Span.EndLine, "count() compared with 0 to test for rows");
                }
                else if (node.Kind is "If" or "While" && (IsCount(node.Node("test")) || (node.Node("test") is { Kind: "UnaryOp" } not && IsCount(not.Node("operand")))))
                {
                    yield return new RuleHit(file, node.Line, node.Line, "the truth value of count() tests for rows");
                }
            }
        }
    }

    private static bool IsCount(PyNode? node) =>
        node is { Kind: "Call" } call && call.Nodes("args").IsEmpty
        && call.Node("func") is { Kind: "Attribute" } attribute && attribute.Str("attr") == "count"
        && attribute.Node("value") is { } receiver && !(receiver.Is("Name") && receiver.Str("id") is "str" or "list");
}
