using System.Collections.Immutable;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>The loop variable of a lifted loop: one row of the iterated relation. Its fields are the
/// relation's columns as the driver sees them (Row attributes, pandas items, tuple positions).</summary>
internal sealed record RowRef(RowContext Context, ImmutableArray<string> Names, ImmutableArray<SqlScalar> Fields, bool Pandas) : PyValue
{
    public override string TypeName => Pandas ? "Series" : "Row";

    public SqlScalar? Field(string name)
    {
        var index = Names.IndexOf(name, StringComparer.Ordinal);
        if (index < 0)
        {
            index = Names.IndexOf(name, StringComparer.OrdinalIgnoreCase);
        }

        return index >= 0 ? Fields[index] : null;
    }
}

/// <summary>A list the driver built in a lifted loop (<c>out.append(...)</c>): a relation, one row per
/// append, in the order the loop appended them. Its columns are the appended tuple's positions (or the
/// Row's field names).</summary>
internal sealed record RowSetValue(Frame Frame, ImmutableArray<PyKind> Kinds, ImmutableArray<string>? Names) : PyValue
{
    public override string TypeName => "list";

    /// <summary>NaN stands for a missing number in these columns (pandas).</summary>
    public ImmutableArray<bool> NanForNull { get; init; } = [];
}

/// <summary>A dict the driver filled in a lifted loop: one row per key, with the key's parts and the
/// value (or the value's fields, for a dict of dicts). <see cref="FirstSeen"/> orders the keys as the
/// dict would iterate them (insertion order).</summary>
internal sealed record KeyedValue(Frame Frame, int KeyCount, ImmutableArray<PyKind> KeyKinds, ImmutableArray<string?> Fields, ImmutableArray<PyKind> FieldKinds) : PyValue
{
    public override string TypeName => "dict";

    public bool IsRecord => Fields.Length > 0 && Fields[0] is not null;

    /// <summary>collections.Counter / defaultdict: the value a missing key reads as (else KeyError).</summary>
    public PyValue? Missing { get; init; }

    /// <summary>defaultdict: reading a missing key inserts it, which a relation built once cannot do.</summary>
    public bool MissingInserts { get; init; }
}

/// <summary>items()/keys()/values() of a lifted dict.</summary>
internal sealed record KeyedView(KeyedValue Dict, string Kind) : PyValue
{
    public override string TypeName => "dict_" + Kind;
}

/// <summary>A value of a dict of dicts read in a loop over its items: its fields by name.</summary>
internal sealed record RecordRef(ImmutableDictionary<string, SqlScalar> Fields) : PyValue
{
    public override string TypeName => "dict";
}
