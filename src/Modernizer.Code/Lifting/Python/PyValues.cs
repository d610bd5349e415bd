using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Python;

/// <summary>A value of the legacy driver program as the translator knows it: a concrete Python value,
/// a symbolic one (an SQL expression that computes it, with its Python type), or a Spark object.</summary>
internal abstract record PyValue
{
    /// <summary>Python's type name, for messages.</summary>
    public abstract string TypeName { get; }
}

/// <summary>Python types the translator computes with; they decide the semantics of operators.</summary>
internal enum PyKind
{
    None,
    Bool,
    Int,
    Float,
    Str,
    Decimal,
    Date,
    DateTime,
    TimeDelta,
}

internal sealed record PyNone : PyValue
{
    public static PyNone Instance { get; } = new();

    public override string TypeName => "NoneType";
}

internal sealed record PyBool(bool Value) : PyValue
{
    public static PyBool True { get; } = new(true);

    public static PyBool False { get; } = new(false);

    public static PyBool Of(bool value) => value ? True : False;

    public override string TypeName => "bool";
}

internal sealed record PyInt(BigInteger Value) : PyValue
{
    public override string TypeName => "int";
}

internal sealed record PyFloat(double Value) : PyValue
{
    public override string TypeName => "float";
}

internal sealed record PyStr(string Value) : PyValue
{
    public override string TypeName => "str";
}

/// <summary>decimal.Decimal; the default context's 28 digits are .NET decimal's too.</summary>
internal sealed record PyDecimal(decimal Value) : PyValue
{
    public override string TypeName => "Decimal";

    /// <summary>Python's str(Decimal): the digits as stored, scale kept ("12.50").</summary>
    public string Text => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed record PyDate(DateOnly Value) : PyValue
{
    public override string TypeName => "date";
}

/// <summary>datetime.datetime; <see cref="Zone"/> null for a naive value.</summary>
internal sealed record PyDateTime(DateTime Value, TimeZoneInfo? Zone) : PyValue
{
    public override string TypeName => "datetime";
}

internal sealed record PyTimeDelta(TimeSpan Value) : PyValue
{
    public override string TypeName => "timedelta";
}

/// <summary>A mutable object of the legacy program (list, dict, set, instance of a user class): every
/// alias shares it, so a change through one name is seen through all. The lift runs both branches of a
/// condition known only at run time against this one heap; an object such a branch changed after it was
/// created therefore no longer has content the translator knows (<see cref="Uncertain"/>).</summary>
internal abstract record PyHeapValue : PyValue
{
    private static long s_clock;

    /// <summary>The allocation clock: an object born at or before the start of a run-time branch
    /// existed on the path that did not take it.</summary>
    public static long Now => Interlocked.Read(ref s_clock);

    public long Born { get; } = Interlocked.Increment(ref s_clock);

    /// <summary>Why the content is unknown (a change under a condition known only at run time); null
    /// while every change to it happened on every path it exists on.</summary>
    public string? Uncertain { get; set; }
}

/// <summary>A mutable list; identity matters (appends through any alias).</summary>
internal sealed record PyList : PyHeapValue
{
    public PyList(IEnumerable<PyValue> items) => Items = [.. items];

    public List<PyValue> Items { get; }

    public override string TypeName => "list";

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public bool Equals(PyList? other) => ReferenceEquals(this, other);
}

internal sealed record PyTuple(ImmutableArray<PyValue> Items) : PyValue
{
    public override string TypeName => "tuple";

    public bool Equals(PyTuple? other) => other is not null && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => Items.Aggregate(17, (h, v) => (h * 31) + v.GetHashCode());
}

/// <summary>A mutable dict with concrete keys, in insertion order.</summary>
internal sealed record PyDict : PyHeapValue
{
    public List<KeyValuePair<PyValue, PyValue>> Entries { get; } = [];

    /// <summary>collections.Counter / defaultdict: the value a missing key reads as (else KeyError).</summary>
    public PyValue? Missing { get; init; }

    /// <summary>defaultdict (not Counter): reading a missing key inserts it with <see cref="Missing"/>.</summary>
    public bool MissingInserts { get; init; }

    public override string TypeName => "dict";

    public bool TryGet(PyValue key, out PyValue value)
    {
        foreach (var entry in Entries)
        {
            if (PyEquality.KeyEquals(entry.Key, key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = PyNone.Instance;
        return false;
    }

    public void Set(PyValue key, PyValue value)
    {
        for (var i = 0; i < Entries.Count; i++)
        {
            if (PyEquality.KeyEquals(Entries[i].Key, key))
            {
                Entries[i] = new(Entries[i].Key, value);
                return;
            }
        }

        Entries.Add(new(key, value));
    }

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public bool Equals(PyDict? other) => ReferenceEquals(this, other);
}

internal sealed record PySet : PyHeapValue
{
    public PySet(IEnumerable<PyValue> items) => Items = [.. items];

    public List<PyValue> Items { get; }

    public override string TypeName => "set";

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public bool Equals(PySet? other) => ReferenceEquals(this, other);
}

/// <summary>A user function (def or lambda) with the scope it was defined in.</summary>
internal sealed record PyFunction(string Name, PyNode Node, PyScope Closure, ImmutableArray<PyValue?> Defaults, ImmutableArray<PyValue?> KeywordDefaults) : PyValue
{
    public override string TypeName => "function";

    public bool IsLambda => Node.Is("Lambda");

    /// <summary>Decorators the interpreter saw through (retries, logging wrappers).</summary>
    public ImmutableArray<string> TransparentDecorators { get; init; } = [];
}

/// <summary>A function implemented by the translator (builtins, library calls, Spark methods).</summary>
internal sealed record PyBuiltin(string Name, Func<CallArguments, PyValue> Invoke) : PyValue
{
    public override string TypeName => "builtin_function_or_method";
}

internal sealed record PyClass(string Name, PyNode Node, PyScope Closure) : PyValue
{
    public override string TypeName => "type";
}

internal sealed record PyInstance : PyHeapValue
{
    public PyInstance(PyClass type) => Class = type;

    public PyClass Class { get; }

    public Dictionary<string, PyValue> Attributes { get; } = new(StringComparer.Ordinal);

    public override string TypeName => Class.Name;

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public bool Equals(PyInstance? other) => ReferenceEquals(this, other);
}

/// <summary>A module or an object whose attributes the translator resolves by name (pyspark.sql.functions,
/// logging, a logger, dbutils.widgets...).</summary>
internal sealed record PyObject(string Kind, Func<string, PyValue?> Attribute) : PyValue
{
    public override string TypeName => Kind;
}

/// <summary>A Python value only known as the SQL expression computing it: a field of the row being
/// processed, a parameter, a scalar query result. <see cref="Kind"/> carries its Python type, which
/// decides the meaning of every operator applied to it; <see cref="Nullable"/> says it may be None.</summary>
internal sealed record SqlScalar(Expr Sql, PyKind Kind, bool Nullable) : PyValue
{
    public override string TypeName => Kind.ToString().ToLowerInvariant();

    /// <summary>The value the legacy job had with default parameters, when known without data.</summary>
    public PyValue? Known { get; init; }

    /// <summary>A pandas number: NULL stands for NaN (not None): NaN != NaN, NaN is not None, bool(NaN) is True.</summary>
    public bool NanForNull { get; init; }
}

/// <summary>Arguments of a call.</summary>
internal sealed record CallArguments(ImmutableArray<PyValue> Positional, ImmutableDictionary<string, PyValue> Keywords, PyNode Site)
{
    /// <summary>Keyword names in the order they were written (Row(a=..., b=...) is positional by it).</summary>
    public ImmutableArray<string> KeywordOrder { get; init; } = [.. Keywords.Keys.Order(StringComparer.Ordinal)];

    public PyValue? Arg(int index, string? name = null) =>
        index < Positional.Length ? Positional[index] : name is not null && Keywords.TryGetValue(name, out var value) ? value : null;

    public int Count => Positional.Length + Keywords.Count;
}

internal static class PyEquality
{
    /// <summary>Dict key equality of concrete values (1 == 1.0 == True, as Python hashes them alike).</summary>
    public static bool KeyEquals(PyValue a, PyValue b) => (a, b) switch
    {
        (PyInt x, PyInt y) => x.Value == y.Value,
        (PyInt x, PyBool y) => x.Value == (y.Value ? 1 : 0),
        (PyBool x, PyInt y) => y.Value == (x.Value ? 1 : 0),
        (PyInt x, PyFloat y) => (double)x.Value == y.Value,
        (PyFloat x, PyInt y) => x.Value == (double)y.Value,
        (PyTuple x, PyTuple y) => x.Items.Length == y.Items.Length && x.Items.Zip(y.Items).All(p => KeyEquals(p.First, p.Second)),
        _ => a.Equals(b),
    };
}
