using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Specs.Plans;

/// <summary>A column an operator uses, traced to the input table column it reads (<see cref="Table"/>
/// set) or to an expression computed earlier in the job (<see cref="Derived"/> set). <see cref="Type"/>
/// is the Spark SQL type when the lake schema knows it.</summary>
public sealed record ColumnUse(string? Table, string Column, string? Type, bool Nullable = true)
{
    public Expr? Derived { get; init; }

    public bool IsInput => Table is not null && Derived is null;

    public string Qualified => Table is null ? Column : Table + "." + Column;

    public override string ToString() => Qualified;
}

/// <summary>Where a construct is written: a file of the job folder and its line (1-based).</summary>
public sealed record SpanRef(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : File;
}
