using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>A dict a loop built, used after the loop: views for later loops, and lookups with keys
/// known without data (scalar subqueries).</summary>
internal static class KeyedOps
{
    public static PyValue? Method(DriverInterpreter interpreter, KeyedValue keyed, string name, PyNode site) => name switch
    {
        "items" or "keys" or "values" => new PyBuiltin("dict." + name, _ => new KeyedView(keyed, name)),
        "get" => new PyBuiltin("dict.get", a => Get(interpreter, keyed, a.Arg(0)!, a.Arg(1) ?? PyNone.Instance, a.Site)),
        _ => null,
    };

    /// <summary>d.get(k, default) with a key known without data.</summary>
    public static PyValue Get(DriverInterpreter interpreter, KeyedValue keyed, PyValue key, PyValue dflt, PyNode site)
    {
        if (keyed.IsRecord)
        {
            throw interpreter.Refuse("dict.get of a dict whose values are dicts, after the loop", site);
        }

        var matching = Matching(interpreter, keyed, key, site);
        var valueColumn = keyed.Frame.Columns[keyed.KeyCount];
        var value = new SqlScalar(new PlanSubquery(SubqueryKind.Scalar, new Project(matching, [valueColumn.Reference])), keyed.FieldKinds[0], true);
        var present = new PlanSubquery(SubqueryKind.Exists, matching);
        return ValueOps.Phi(present, value, dflt, site, interpreter);
    }

    public static PyValue Contains(DriverInterpreter interpreter, KeyedValue keyed, PyValue key, PyNode site) =>
        new SqlScalar(new PlanSubquery(SubqueryKind.Exists, Matching(interpreter, keyed, key, site)), PyKind.Bool, false);

    private static PlanNode Matching(DriverInterpreter interpreter, KeyedValue keyed, PyValue key, PyNode site)
    {
        var parts = key is PyTuple tuple ? tuple.Items : [key];
        if (parts.Length != keyed.KeyCount)
        {
            throw interpreter.Refuse($"a key of {parts.Length} parts for a dict keyed by {keyed.KeyCount}", site);
        }

        var condition = parts.Select((part, i) => (Expr)new Binary(BinaryOp.NullSafeEq, keyed.Frame.Columns[i].Reference, PySemantics.Sql(part, site, interpreter)))
            .Aggregate((a, b) => new Binary(BinaryOp.And, a, b));
        return new Filter(keyed.Frame.Plan, condition);
    }
}

/// <summary>A list built by a comprehension over known items with conditions known only at run time
/// ([p for p in (first, last) if p]): each item with the condition it is in the list under.</summary>
internal sealed record GuardedList(System.Collections.Immutable.ImmutableArray<(Expr Guard, PyValue Item)> Items) : PyValue
{
    public override string TypeName => "list";

    public Expr NonEmpty => Items.IsEmpty ? Literal.Of(false) : Items.Select(i => i.Guard).Aggregate((a, b) => new Binary(BinaryOp.Or, a, b));

    /// <summary>sep.join(list): the kept items with the separator between them (concat_ws skips NULLs).</summary>
    public SqlScalar Join(string separator, DriverInterpreter interpreter, PyNode site)
    {
        var parts = Items.Select(i =>
        {
            var value = (SqlScalar)ValueOps.Scalar(i.Item, site, interpreter);
            if (value.Kind != PyKind.Str)
            {
                throw interpreter.Refuse("str.join of a non-string (TypeError in Python)", site);
            }

            return (Expr)new Case(null, [new WhenClause(i.Guard, value.Sql)], null);
        });
        return new SqlScalar(new FunctionCall("concat_ws", [Literal.Of(separator), .. parts]), PyKind.Str, false);
    }

    public SqlScalar Length => new(Items.Select(i => (Expr)new Case(null, [new WhenClause(i.Guard, Literal.Of(1L))], Literal.Of(0L)))
        .Aggregate((Expr)Literal.Of(0L), (a, b) => new Binary(BinaryOp.Add, a, b)), PyKind.Int, false);
}
