using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Tests.Plan;

/// <summary>Every Expr and PlanNode subtype in the assembly, found by reflection (a new subtype
/// is tested without anyone listing it), goes through the traversals: children are declared,
/// rebuilding with the same children gives the same node, and new children land in place.</summary>
public sealed class TraversalCoverageTests
{
    private static readonly Assembly Code = typeof(PlanNode).Assembly;

    public static TheoryData<string> ExprTypes() => [.. Concrete(typeof(Expr)).Select(t => t.FullName!)];

    public static TheoryData<string> PlanTypes() => [.. Concrete(typeof(PlanNode)).Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(ExprTypes))]
    public void Every_expression_kind_is_handled_by_expr_tree(string typeName)
    {
        var expr = (Expr)Sample.Of(Code.GetType(typeName)!, 0)!;

        var children = ExprTree.Children(expr);
        Assert.Equal(expr, ExprTree.WithChildren(expr, children));
        var replaced = children.Select((_, i) => (Expr)new Literal(LiteralKind.Integer, (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToImmutableArray();
        Assert.Equal(replaced.AsEnumerable(), ExprTree.Children(ExprTree.WithChildren(expr, replaced)).AsEnumerable());
        Assert.Contains(expr, ExprTree.Descendants(expr));
    }

    [Theory]
    [MemberData(nameof(PlanTypes))]
    public void Every_plan_kind_is_handled_by_plan_tree_and_plan_expressions(string typeName)
    {
        var node = (PlanNode)Sample.Of(Code.GetType(typeName)!, 0)!;

        var children = node.Children;
        Assert.Equal(node, node.WithChildren(children));
        EquatableArray<PlanNode> replaced = [.. children.Select((_, i) => (PlanNode)new Scan(TableName.Of("replaced_" + i), Schema.Unknown))];
        Assert.Equal(replaced, node.WithChildren(replaced).Children);
        Assert.Equal(1 + children.Sum(c => PlanTree.Nodes(c).Length), PlanTree.Nodes(node).Length);
        _ = PlanExpressions.Of(node);
    }

    [Fact]
    public void Plan_transform_up_applies_the_rule_children_first_and_reports_the_change()
    {
        var plan = new Filter(new Project(new Scan(TableName.Of("raw", "orders"), Schema.Unknown), [new ColumnRef([new NamePart("amount")])]), new Literal(LiteralKind.Boolean, "true"));
        var visited = new List<string>();

        var result = PlanTree.TransformUp(plan, node =>
        {
            visited.Add(node.GetType().Name);
            return node is Scan scan && scan.Table.Key == "raw.orders" ? scan with { Table = TableName.Of("curated", "orders") } : null;
        });

        Assert.True(result.Changed);
        Assert.Equal(["Scan", "Project", "Filter"], visited);
        var scan = Assert.IsType<Scan>(PlanTree.Nodes(result.Value).Last());
        Assert.Equal("curated.orders", scan.Table.Key);
        Assert.False(PlanTree.TransformUp(plan, _ => null).Changed);
    }

    [Fact]
    public void Expression_transform_up_applies_the_rule_below_the_root()
    {
        var expr = new Binary(BinaryOp.Eq, new ColumnRef([new NamePart("a")]), new FunctionCall("abs", [new ColumnRef([new NamePart("b")])]));

        var result = ExprTree.TransformUp(expr, e => e is ColumnRef { Name: "b" } ? new ColumnRef([new NamePart("c")]) : null);

        Assert.True(result.Changed);
        Assert.Equal(["a", "c"], ExprTree.Columns(result.Value).Select(c => c.Name));
    }

    private static IEnumerable<Type> Concrete(Type root) =>
        Code.GetTypes().Where(t => root.IsAssignableFrom(t) && !t.IsAbstract && t.IsPublic).OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>Builds a sample of any record type: constructor arguments and init-only
    /// properties filled with samples of their types (expressions and plans included), so every
    /// child slot holds something.</summary>
    private static class Sample
    {
        public static object? Of(Type type, int depth)
        {
            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                return Of(underlying, depth);
            }

            if (type == typeof(string))
            {
                return "x";
            }

            if (type == typeof(bool))
            {
                return false;
            }

            if (type == typeof(int) || type == typeof(long) || type == typeof(double))
            {
                return Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture);
            }

            if (type.IsEnum)
            {
                return Enum.GetValues(type).GetValue(0);
            }

            if (type.IsValueType && !type.IsGenericType)
            {
                return Activator.CreateInstance(type);
            }

            if (type == typeof(Expr) || (depth > 3 && typeof(Expr).IsAssignableFrom(type) && type.IsAbstract))
            {
                return new Literal(LiteralKind.Integer, "1");
            }

            if (type == typeof(PlanNode) || depth > 3 && typeof(PlanNode).IsAssignableFrom(type) && type.IsAbstract)
            {
                return new Scan(TableName.Of("t"), Schema.Unknown);
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
            {
                var item = type.GetGenericArguments()[0];
                var array = Array.CreateInstance(item, 1);
                array.SetValue(Of(item, depth + 1), 0);
                var immutable = typeof(ImmutableArray).GetMethods().First(m => m.Name == "Create" && m.GetParameters() is [{ ParameterType.IsArray: true }]).MakeGenericMethod(item).Invoke(null, [array]);
                return Activator.CreateInstance(type, immutable);
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
            {
                var item = type.GetGenericArguments()[0];
                var array = Array.CreateInstance(item, 1);
                array.SetValue(Of(item, depth + 1), 0);
                return typeof(ImmutableArray).GetMethods().First(m => m.Name == "Create" && m.GetParameters() is [{ ParameterType.IsArray: true }]).MakeGenericMethod(item).Invoke(null, [array]);
            }

            if (type.IsAbstract)
            {
                var concrete = Code.GetTypes().Where(t => type.IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.GetConstructors().Min(c => c.GetParameters().Length)).First();
                return Of(concrete, depth + 1);
            }

            if (depth > 6 || typeof(IEnumerable).IsAssignableFrom(type))
            {
                return null;
            }

            var constructor = type.GetConstructors().Where(c => !(c.GetParameters() is [{ } only] && only.ParameterType == type)).OrderByDescending(c => c.GetParameters().Length).First();
            var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => Of(p.ParameterType, depth + 1))]);
            foreach (var property in type.GetProperties().Where(p => p.CanWrite && p.GetValue(instance) is null && (typeof(Expr).IsAssignableFrom(p.PropertyType) || p.PropertyType.Name.Contains("Window", StringComparison.Ordinal) || p.PropertyType.Name.Contains("Spec", StringComparison.Ordinal))))
            {
                property.SetValue(instance, Of(property.PropertyType, depth + 1));
            }

            return instance;
        }
    }
}
