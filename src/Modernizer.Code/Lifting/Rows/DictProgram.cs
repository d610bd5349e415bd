using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Emit;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>What one loop iteration does to one outer dict: the key it uses, and for each field (or the
/// whole value) the value after the row as an expression of the value before it. Reads before any
/// write in the row are markers (<see cref="BeforeMarker"/>): the state this key had after the earlier
/// rows. The lifter turns the per-row transition into an ordered fold per key.</summary>
internal sealed class DictProgram(RowContext context, DriverInterpreter interpreter, int id)
{
    /// <summary>A field name for a dict whose values are not dicts.</summary>
    public const string Whole = "value";

    private readonly Dictionary<string, SqlScalar> _overlay = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqlScalar> _before = new(StringComparer.Ordinal);
    private readonly List<string> _fields = [];
    private readonly List<(int Sequence, Expr Guard)> _writes = [];
    private readonly List<Expr> _insertingReads = [];
    private Expr? _touched;

    public int Id { get; } = id;

    public ImmutableArray<SqlScalar>? Key { get; private set; }

    /// <summary>True when the dict's values are dicts updated field by field.</summary>
    public bool IsRecord { get; private set; }

    public IReadOnlyList<string> Fields => _fields;

    /// <summary>The condition under which the row writes the dict at all (the key then exists).</summary>
    public Expr Touched => _touched ?? Literal.Of(false);

    /// <summary>Each write in the order the body makes it (numbered across the loop's dicts), with its
    /// guard: which write of a row inserts a key first.</summary>
    public IReadOnlyList<(int Sequence, Expr Guard)> Writes => _writes;

    /// <summary>A defaultdict read inserts a missing key; that is reproduced only when the row also writes
    /// the key under the same condition (d[k] += x), since a write leaves the key present either way.</summary>
    public bool HasUncoveredInsertingRead =>
        _insertingReads.Any(read => !_writes.Any(w => w.Guard is Literal { Value: "true" } || SqlPrinter.Print(w.Guard) == SqlPrinter.Print(read)));

    /// <summary>Was the key present before this row?</summary>
    public SqlScalar HasBefore => new(Marker("has"), PyKind.Bool, false);

    public IReadOnlyDictionary<string, SqlScalar> Before => _before;

    /// <summary>The value of each field after the row (fields the row never writes keep their before value).</summary>
    public SqlScalar After(string field) => _overlay.TryGetValue(field, out var value) ? value : _before[field];

    /// <summary>Was the key present after this row?</summary>
    public Expr HasAfter => new Binary(BinaryOp.Or, HasBefore.Sql, Touched);

    private ColumnRef Marker(string field, SparkType? type = null) =>
        new([new NamePart($"__mz_before_{Id.ToString(CultureInfo.InvariantCulture)}_{field}")]) { Binding = new ColumnBinding(null, $"__mz_before_{Id.ToString(CultureInfo.InvariantCulture)}_{field}", field == "has" ? SparkType.Boolean : type ?? SparkType.Unknown, field != "has") };

    public static bool IsMarker(ColumnRef reference, out int dict, out string field)
    {
        dict = 0;
        field = string.Empty;
        var name = reference.Parts.Count == 1 ? reference.Parts[0].Text : null;
        if (name is null || !name.StartsWith("__mz_before_", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name["__mz_before_".Length..];
        var underscore = rest.IndexOf('_', StringComparison.Ordinal);
        dict = int.Parse(rest[..underscore], CultureInfo.InvariantCulture);
        field = rest[(underscore + 1)..];
        return true;
    }

    private SqlScalar BeforeOf(string field, SqlScalar? typed, PyNode site)
    {
        if (_before.TryGetValue(field, out var known))
        {
            return known;
        }

        if (typed is null)
        {
            throw interpreter.Refuse("a dict value read before the loop gives it a type (no default, no earlier write)", site);
        }

        var type = TypeInference.TypeOf(typed.Sql);
        var marker = new SqlScalar(Marker(field, type), typed.Kind, true);
        _before[field] = marker;
        if (!_fields.Contains(field))
        {
            _fields.Add(field);
        }

        return marker;
    }

    private void UseKey(PyValue key, PyNode site)
    {
        var parts = context.KeyParts(key, key is PyTuple tuple ? tuple.Items.Length : 1, site);
        if (Key is null)
        {
            Key = parts;
            return;
        }

        var same = Key.Value.Length == parts.Length && Key.Value.Zip(parts).All(p => SqlPrinter.Print(p.First.Sql) == SqlPrinter.Print(p.Second.Sql));
        if (!same)
        {
            throw interpreter.Refuse("a dict written or read under two different keys in one loop", site);
        }
    }

    /// <summary>d[k] / d.get(k, default) / acc["f"]. <paramref name="inserting"/>: d[k] on a defaultdict,
    /// under the guard the read runs under.</summary>
    public PyValue Read(PyValue key, string? field, PyValue? dflt, PyNode site, bool raiseIfMissing, Expr? inserting = null)
    {
        UseKey(key, site);
        if (inserting is not null)
        {
            _insertingReads.Add(inserting);
        }

        if (field is null && IsRecord)
        {
            return context.View(this, key);
        }

        var name = field ?? Whole;
        if (_overlay.TryGetValue(name, out var written))
        {
            // Written earlier in this row (possibly under a guard): the written value there.
            return WithDefault(written, dflt, site, raiseIfMissing);
        }

        var hint = dflt is null or PyNone ? null : (SqlScalar)ValueOps.Scalar(dflt, site, interpreter);
        var before = BeforeOf(name, hint, site);
        return WithDefault(before, dflt, site, raiseIfMissing);
    }

    private PyValue WithDefault(SqlScalar value, PyValue? dflt, PyNode site, bool raiseIfMissing)
    {
        var present = new FunctionCall("coalesce", [HasAfterSoFar, Literal.Of(false)]);
        if (dflt is not null)
        {
            return ValueOps.Phi(present, value, dflt, site, interpreter);
        }

        return raiseIfMissing
            ? value with { Sql = PySemantics.RaiseWhen(new Unary(UnaryOp.Not, present), "KeyError: a key read before the legacy job set it", value.Sql) }
            : value;
    }

    private Expr HasAfterSoFar => _touched is null ? HasBefore.Sql : new Binary(BinaryOp.Or, HasBefore.Sql, _touched);

    /// <summary>d[k] = v (acc["f"] = v), under the current guard.</summary>
    public void Write(PyValue key, string? field, PyValue value, Expr? guard, PyNode site)
    {
        UseKey(key, site);
        if (field is null && value is PyDict record)
        {
            // d[k] = {"orders": 0, ...}: a dict of fields.
            IsRecord = true;
            foreach (var entry in record.Entries)
            {
                Write(key, entry.Key is PyStr fieldName ? fieldName.Value : throw interpreter.Refuse("a dict value with non-string keys", site), entry.Value, guard, site);
            }

            return;
        }

        if (field is not null && !IsRecord && field != Whole)
        {
            IsRecord = true;
        }

        var name = field ?? Whole;
        var scalar = (SqlScalar)ValueOps.Scalar(value is PyBool or PyInt or PyFloat or PyStr or PyDecimal or PyDate or PyNone or SqlScalar or PyText
            ? value
            : throw interpreter.Refuse($"a {value.TypeName} stored in a dict the loop fills", site), site, interpreter);
        if (scalar.Kind == PyKind.None && !_overlay.ContainsKey(name) && !_before.ContainsKey(name))
        {
            throw interpreter.Refuse("a dict value that is always None (its type is unknown)", site);
        }

        var previous = _overlay.TryGetValue(name, out var overlaid) ? overlaid : guard is null ? null : BeforeOf(name, scalar, site);
        _overlay[name] = guard is null || previous is null ? scalar : (SqlScalar)ValueOps.Phi(guard, scalar, previous, site, interpreter);
        if (!_fields.Contains(name))
        {
            _fields.Add(name);
        }

        var touched = guard ?? Literal.Of(true);
        _writes.Add((context.NextWrite(), touched));
        _touched = _touched is null ? touched : new Binary(BinaryOp.Or, _touched, touched);
    }

    public PyValue Contains(PyValue key, PyNode site)
    {
        UseKey(key, site);
        return new SqlScalar(new FunctionCall("coalesce", [HasAfterSoFar, Literal.Of(false)]), PyKind.Bool, false);
    }

    public PyValue SetDefault(PyValue key, PyValue dflt, Expr? guard, PyNode site)
    {
        var absent = new Unary(UnaryOp.Not, ((SqlScalar)Contains(key, site)).Sql);
        Write(key, null, dflt, guard is null ? absent : new Binary(BinaryOp.And, guard, absent), site);
        return Read(key, null, null, site, raiseIfMissing: false);
    }
}
