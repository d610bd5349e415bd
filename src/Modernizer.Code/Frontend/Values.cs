using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

/// <summary>What the frontend knows about a Python value while it walks the job: constants and
/// strings with holes (constant propagation), Spark objects (session, readers, DataFrames,
/// writers, columns) and driver-side data carrying the source columns it was collected from.</summary>
internal abstract record PyValue
{
    /// <summary>Source columns (and tables) this value was derived from; empty for code constants.</summary>
    public virtual Taint Taint => Taint.None;
}

/// <summary>The tables and columns a driver-side value was derived from (collect, toPandas...).</summary>
internal sealed record Taint(ImmutableHashSet<string> Tables, ImmutableHashSet<ColumnRef> Columns, bool IsRow = false)
{
    public static Taint None { get; } = new([], []);

    public bool IsEmpty => Tables.IsEmpty && Columns.IsEmpty;

    /// <summary>The value went through Python's round() already (a sum of rounded amounts):
    /// the rounding defect is reported where it first happened.</summary>
    public bool Rounded { get; init; }

    public Taint Union(Taint other) =>
        other.IsEmpty ? this : IsEmpty ? other : new Taint(Tables.Union(other.Tables), Columns.Union(other.Columns), IsRow || other.IsRow) { Rounded = Rounded || other.Rounded };
}

/// <summary>A column of a named table, <c>schema.table.column</c>.</summary>
internal readonly record struct ColumnRef(string Table, string Column)
{
    public override string ToString() => Table + "." + Column;
}

internal sealed record ConstValue(object? Value) : PyValue
{
    /// <summary>Line of the literal in the file (0 when computed), for positions inside SQL text.</summary>
    public int Line { get; init; }

    public static ConstValue None { get; } = new((object?)null);

    public string? AsText() => Value switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Value.ToString(),
    };
}

/// <summary>A string built from literals and holes (unknown parts: an argument, a row field, a
/// widget without default). Confidence falls with every hole.</summary>
internal sealed record TextValue(ImmutableArray<TextPart> Parts, Taint DataTaint) : PyValue
{
    public override Taint Taint => DataTaint;

    public bool IsKnown => Parts.All(p => p.Hole is null);

    /// <summary>Line where the text starts in the file (the literal or f-string), 0 when unknown.</summary>
    public int Line { get; init; }

    /// <summary>Line of the first part not known before run time, 0 when all are known.</summary>
    public int FirstHoleLine => Parts.FirstOrDefault(p => p.Hole is not null)?.Line ?? 0;

    /// <summary>Line of the first interpolated part (an f-string field or a format argument), 0 when none.</summary>
    public int FirstInterpolationLine => Parts.FirstOrDefault(p => p.Interpolated)?.Line ?? 0;

    public string Render(string holeFormat = "{{{0}}}")
    {
        var builder = new StringBuilder();
        foreach (var part in Parts)
        {
            builder.Append(part.Hole is null ? part.Literal : string.Format(CultureInfo.InvariantCulture, holeFormat, part.Hole));
        }

        return builder.ToString();
    }

    public double Confidence => IsKnown ? 1.0 : Math.Max(0.2, 1.0 - 0.25 * Parts.Count(p => p.Hole is not null));

    public static TextValue Of(string text) => new([new TextPart(text, null)], Taint.None);

    public static TextValue Hole(string name, Taint taint, int line = 0) => new([new TextPart(string.Empty, name) { Line = line }], taint);

    public static TextValue Concat(IEnumerable<TextValue> parts)
    {
        var list = ImmutableArray.CreateBuilder<TextPart>();
        var taint = Taint.None;
        foreach (var part in parts)
        {
            list.AddRange(part.Parts);
            taint = taint.Union(part.DataTaint);
        }

        return new TextValue(Merge(list), taint);
    }

    private static ImmutableArray<TextPart> Merge(IEnumerable<TextPart> parts)
    {
        var merged = ImmutableArray.CreateBuilder<TextPart>();
        foreach (var part in parts)
        {
            if (part.Hole is null && !part.Interpolated && merged.Count > 0 && merged[^1].Hole is null && !merged[^1].Interpolated)
            {
                merged[^1] = new TextPart(merged[^1].Literal + part.Literal, null);
            }
            else if (part.Hole is not null || part.Literal.Length > 0 || part.Interpolated)
            {
                merged.Add(part);
            }
        }

        return merged.ToImmutable();
    }
}

internal sealed record TextPart(string Literal, string? Hole)
{
    public int Line { get; init; }

    /// <summary>True when the part was pasted in (f-string field, format or % argument).</summary>
    public bool Interpolated { get; init; }
}

internal sealed record ListValue(ImmutableArray<PyValue> Items, bool IsTuple = false) : PyValue
{
    public override Taint Taint => Items.Aggregate(Taint.None, (t, v) => t.Union(v.Taint));
}

internal sealed record DictValue(ImmutableDictionary<string, PyValue> Items) : PyValue
{
    public override Taint Taint => Items.Values.Aggregate(Taint.None, (t, v) => t.Union(v.Taint));
}

/// <summary>A value nothing is known about, except what data it came from.</summary>
internal sealed record UnknownValue(string Description, Taint DataTaint) : PyValue
{
    public static UnknownValue Plain { get; } = new("unknown", Taint.None);

    public override Taint Taint => DataTaint;
}

/// <summary>Rows or records brought to the driver (collect, toPandas, iterrows, a row in such a loop).</summary>
internal sealed record DriverDataValue(string Origin, Taint DataTaint, DataFrameValue? From, bool IsRowSequence, int Line) : PyValue
{
    public override Taint Taint => DataTaint;
}

internal sealed record ModuleValue(string Name) : PyValue;

internal sealed record SparkSessionValue : PyValue;

internal sealed record FunctionValue(PyNode Definition, string Name) : PyValue
{
    /// <summary>The file the definition sits in (facts of its body point there); null: the caller's file.</summary>
    public string? File { get; init; }

    /// <summary>The interpreter whose module globals the body sees (the defining module's, or
    /// the including notebook's for <c>%run</c>); null: the caller's.</summary>
    public Interpreter? Home { get; init; }

    /// <summary>Methods: the class they belong to (<c>self</c> is bound on a call through an instance).</summary>
    public ClassValue? Owner { get; init; }

    public bool IsStatic { get; init; }

    public bool IsProperty { get; init; }
}

/// <summary>A class of the job's code: its methods (by name, own first then bases) and its
/// class-level attributes. Instances carry the attributes methods set on <c>self</c>.</summary>
internal sealed record ClassValue(string Name, PyNode Definition, ImmutableArray<ClassValue> Bases) : PyValue
{
    public Dictionary<string, PyValue> Members { get; } = new(StringComparer.Ordinal);

    public PyValue? Find(string name)
    {
        if (Members.TryGetValue(name, out var own))
        {
            return own;
        }

        foreach (var parent in Bases)
        {
            if (parent.Find(name) is { } inherited)
            {
                return inherited;
            }
        }

        return null;
    }

    public bool Equals(ClassValue? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}

/// <summary>An object of a job class: attributes assigned through <c>self.x = ...</c> live here.
/// Identity equality: two objects of one class are different objects.</summary>
internal sealed record InstanceValue(ClassValue Class) : PyValue
{
    public Dictionary<string, PyValue> Attributes { get; } = new(StringComparer.Ordinal);

    public bool Equals(InstanceValue? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}

/// <summary>AWS Glue's GlueContext (its <c>spark_session</c>, dynamic frame readers and writers).</summary>
internal sealed record GlueContextValue(string Member = "") : PyValue;

internal sealed record BoundMethodValue(PyValue Receiver, string Method) : PyValue
{
    public override Taint Taint => Receiver.Taint;
}

/// <summary><c>spark.read</c> with the format, options and schema set so far.</summary>
internal sealed record ReaderValue(string? Format, ImmutableDictionary<string, string> Options, bool IsStream) : PyValue;

/// <summary><c>df.write</c> with mode, format, partitioning and options set so far.</summary>
internal sealed record WriterValue(DataFrameValue Frame, string? Mode, string? Format, ImmutableArray<string> PartitionBy, ImmutableDictionary<string, string> Options, int Line) : PyValue;

internal sealed record WindowValue(ImmutableArray<ColumnValue> PartitionBy, ImmutableArray<ColumnValue> OrderBy, bool HasFrame) : PyValue;

internal sealed record DeltaTableValue(string Table, int Line) : PyValue;

/// <summary><c>DeltaTable.create(spark).tableName(...).location(...)</c> before <c>execute()</c>.</summary>
internal sealed record DeltaBuilderValue(string Mode, PyValue? Name, PyValue? Location, ImmutableArray<string> PartitionBy) : PyValue;

internal sealed record MergeValue(string Target, DataFrameValue Source, ColumnValue? Condition, ImmutableArray<string> Clauses, int Line) : PyValue;

internal sealed record GroupedValue(DataFrameValue Frame, ImmutableArray<ColumnValue> Keys, string Kind, int Line) : PyValue;

internal sealed record UdfValue(string Name, int Line, bool IsPandas) : PyValue;

/// <summary>A schema written in the code (StructType or DDL string): its column names.</summary>
internal sealed record SchemaValue(ImmutableArray<string> Columns) : PyValue;

internal sealed record RddValue(DataFrameValue Frame) : PyValue;
