using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Spark;

/// <summary>One column of a DataFrame: the name PySpark shows (<see cref="Name"/>, duplicates allowed
/// after a join), the plan's output name (<see cref="Key"/>, unique within the plan), its type, and
/// the identity <c>df["col"]</c> captures (<see cref="Origin"/>), kept through selects and joins.</summary>
internal sealed record FrameColumn(string Name, string Key, SparkType Type, bool Nullable, long Origin)
{
    /// <summary>The alias of the DataFrame the column came from (df.alias("o") → F.col("o.x")).</summary>
    public string? Qualifier { get; init; }

    public ColumnRef Reference => new([new NamePart(Key)]) { Binding = new ColumnBinding(null, Key, Type, Nullable) };
}

/// <summary>The order in which collect() returns a DataFrame's rows.</summary>
internal abstract record RowOrder
{
    /// <summary>The rows as a scan reads them, through filters and projections (no shuffle).</summary>
    public sealed record Physical(string Table) : RowOrder;

    /// <summary>orderBy: the keys decide; rows with equal keys keep <see cref="Ties"/>' order.</summary>
    public sealed record Sorted(ImmutableArray<(long Origin, SortDirection Direction, NullOrdering Nulls)> Keys, RowOrder Ties) : RowOrder;

    /// <summary>After a shuffle (join, aggregate, distinct): Spark promises no order.</summary>
    public sealed record Undefined(string Why) : RowOrder;
}

/// <summary>A PySpark DataFrame as the translator knows it: a plan whose output names are the
/// columns' keys, and its columns.</summary>
internal sealed record Frame(PlanNode Plan, ImmutableArray<FrameColumn> Columns, RowOrder Order)
{
    /// <summary>Aliases given with df.alias("x"), for <c>F.col("x.col")</c>.</summary>
    public ImmutableHashSet<string> Aliases { get; init; } = ImmutableHashSet.Create<string>(StringComparer.OrdinalIgnoreCase);

    public FrameColumn? Find(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public FrameColumn? FindOrigin(long origin) => Columns.FirstOrDefault(c => c.Origin == origin);

    /// <summary>The plan with PySpark's visible names (a rename when keys differ), for views and targets.</summary>
    public PlanNode Visible()
    {
        if (Columns.All(c => c.Key == c.Name))
        {
            return Plan;
        }

        return new Project(Plan, [.. Columns.Select(c => (Expr)new Alias(c.Reference, c.Name))]);
    }

    public Schema VisibleSchema => new(Columns.Select(c => new SchemaColumn(c.Name, c.Type, c.Nullable)).ToEquatableArray());
}

/// <summary>Hands out column identities and unique output names for one job.</summary>
internal sealed class FrameIds
{
    private long _next = 1;
    private int _names;

    public long NewOrigin() => _next++;

    /// <summary>A key not used by <paramref name="taken"/>: the name itself when free, else name_2, name_3...</summary>
    public static string UniqueKey(string name, IEnumerable<string> taken)
    {
        var used = taken.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!used.Contains(name))
        {
            return name;
        }

        for (var i = 2; ; i++)
        {
            var candidate = name + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (!used.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>A fresh name for a generated relation alias.</summary>
    public string NextAlias(string prefix) => prefix + (++_names).ToString(CultureInfo.InvariantCulture);
}
