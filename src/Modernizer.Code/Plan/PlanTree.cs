using System.Collections.Immutable;
using Modernizer.Code.Sql;

namespace Modernizer.Code.Plan;

/// <summary>A rewrite result: the (possibly new) node and whether anything changed.</summary>
public readonly record struct Transformed<T>(T Value, bool Changed)
{
    public static Transformed<T> No(T value) => new(value, false);

    public static Transformed<T> Yes(T value) => new(value, true);
}

/// <summary>What a top-down visitor wants next.</summary>
public enum Recursion
{
    Continue,
    /// <summary>Do not visit this node's children.</summary>
    Skip,
    Stop,
}

/// <summary>The one traversal API over plans (DataFusion's TreeNode): nodes declare their children
/// and how to rebuild with new ones; walking and rewriting come from here.</summary>
public static class PlanTree
{
    /// <summary>Pre-order walk; the visitor may skip a subtree or stop. Returns false if stopped.</summary>
    public static bool Walk(PlanNode node, Func<PlanNode, Recursion> visit)
    {
        // Plans are cut at a few hundred levels (FramePlanner); a deeper hand-built one ends in a
        // clear InsufficientExecutionStackException, never in a stack overflow.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (visit(node))
        {
            case Recursion.Stop:
                return false;
            case Recursion.Skip:
                return true;
        }

        foreach (var child in node.Children)
        {
            if (!Walk(child, visit))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Pre-order walk over every node.</summary>
    public static void Walk(PlanNode node, Action<PlanNode> visit) =>
        Walk(node, n =>
        {
            visit(n);
            return Recursion.Continue;
        });

    /// <summary>All nodes in pre-order.</summary>
    public static ImmutableArray<PlanNode> Nodes(PlanNode node)
    {
        var builder = ImmutableArray.CreateBuilder<PlanNode>();
        Walk(node, builder.Add);
        return builder.ToImmutable();
    }

    /// <summary>Rewrites children first, then the node. <paramref name="rule"/> returns null for "no change".</summary>
    public static Transformed<PlanNode> TransformUp(PlanNode node, Func<PlanNode, PlanNode?> rule)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var children = TransformChildren(node, child => TransformUp(child, rule));
        var rewritten = rule(children.Value);
        return rewritten is null || rewritten.Equals(children.Value)
            ? children
            : Transformed<PlanNode>.Yes(rewritten);
    }

    /// <summary>Rewrites the node first, then the children of the result.</summary>
    public static Transformed<PlanNode> TransformDown(PlanNode node, Func<PlanNode, PlanNode?> rule)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var rewritten = rule(node);
        var changed = rewritten is not null && !rewritten.Equals(node);
        var current = changed ? rewritten! : node;
        var children = TransformChildren(current, child => TransformDown(child, rule));
        return new Transformed<PlanNode>(children.Value, changed || children.Changed);
    }

    /// <summary>Down-then-up rewrite in one pass: <paramref name="down"/> on the way in (may skip the
    /// subtree), <paramref name="up"/> on the way out.</summary>
    public static Transformed<PlanNode> Rewrite(PlanNode node, Func<PlanNode, (PlanNode? Node, Recursion Next)> down, Func<PlanNode, PlanNode?> up)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var (replacement, next) = down(node);
        var changed = replacement is not null && !replacement.Equals(node);
        var current = changed ? replacement! : node;
        if (next == Recursion.Continue)
        {
            var children = TransformChildren(current, child => Rewrite(child, down, up));
            current = children.Value;
            changed |= children.Changed;
        }

        var rewritten = up(current);
        if (rewritten is not null && !rewritten.Equals(current))
        {
            return Transformed<PlanNode>.Yes(rewritten);
        }

        return new Transformed<PlanNode>(current, changed);
    }

    private static Transformed<PlanNode> TransformChildren(PlanNode node, Func<PlanNode, Transformed<PlanNode>> transform)
    {
        var children = node.Children;
        if (children.IsEmpty)
        {
            return Transformed<PlanNode>.No(node);
        }

        var changed = false;
        var builder = ImmutableArray.CreateBuilder<PlanNode>(children.Count);
        foreach (var child in children)
        {
            var result = transform(child);
            changed |= result.Changed;
            builder.Add(result.Value);
        }

        return changed
            ? Transformed<PlanNode>.Yes(node.WithChildren(new EquatableArray<PlanNode>(builder.MoveToImmutable())))
            : Transformed<PlanNode>.No(node);
    }
}
