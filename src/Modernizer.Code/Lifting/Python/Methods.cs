using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Python;

/// <summary>Attributes and methods of builtin values (str, list, dict, date...), concrete and symbolic.</summary>
internal static class Methods
{
    public static PyValue? Of(DriverInterpreter interpreter, PyValue owner, string name, PyNode site)
    {
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new($"{owner.TypeName}.{name}", body);

        // Every method that changes the object goes through here, so a change under a run-time
        // condition is never kept as if it always happened.
        PyBuiltin Mutator(Func<CallArguments, PyValue> body) => Method(a =>
        {
            interpreter.Mutating(owner, a.Site);
            return body(a);
        });

        switch (owner)
        {
            case PyUnknown unknown:
                return unknown;
            case PyStr s:
                return StringMethod(interpreter, s, name, site);
            case SqlScalar { Kind: PyKind.Str } parameter when name is "split" or "splitlines" or "startswith" or "endswith" or "isdigit" or "format" or "count" or "find" or "zfill" or "title" or "join"
                && interpreter.Freeze(parameter, $"text the code takes apart (.{name})", site) is PyStr frozen:
                return StringMethod(interpreter, frozen, name, site);
            case PyText or SqlScalar { Kind: PyKind.Str }:
                return SymbolicStringMethod(interpreter, owner is PyText text ? text.AsScalar(site, interpreter) : (SqlScalar)owner, name, site, owner);
            case Rows.KeyedValue keyed:
                return Rows.KeyedOps.Method(interpreter, keyed, name, site);
            case PyList list:
                return name switch
                {
                    "append" => Mutator(a =>
                    {
                        list.Items.Add(a.Arg(0)!);
                        return PyNone.Instance;
                    }),
                    "extend" => Mutator(a =>
                    {
                        list.Items.AddRange(Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) ?? throw interpreter.Refuse("extend() with data known only at run time", a.Site));
                        return PyNone.Instance;
                    }),
                    "insert" => Mutator(a =>
                    {
                        list.Items.Insert((int)((PyInt)a.Arg(0)!).Value, a.Arg(1)!);
                        return PyNone.Instance;
                    }),
                    "pop" => Mutator(a =>
                    {
                        var index = a.Arg(0) is PyInt i ? (int)i.Value : list.Items.Count - 1;
                        index = index < 0 ? list.Items.Count + index : index;
                        var value = list.Items[index];
                        list.Items.RemoveAt(index);
                        return value;
                    }),
                    "copy" => Method(_ => new PyList(list.Items)),
                    "index" => Method(a => DriverInterpreter.Int(list.Items.FindIndex(v => Numbers.Equal(v, a.Arg(0)!)))),
                    "count" => Method(a => DriverInterpreter.Int(list.Items.Count(v => Numbers.Equal(v, a.Arg(0)!)))),
                    "sort" => Mutator(a =>
                    {
                        var sorted = (PyList)Collections.Sorted(interpreter, a with { Positional = [list, .. a.Positional] });
                        list.Items.Clear();
                        list.Items.AddRange(sorted.Items);
                        return PyNone.Instance;
                    }),
                    "remove" => Mutator(a =>
                    {
                        list.Items.RemoveAt(list.Items.FindIndex(v => Numbers.Equal(v, a.Arg(0)!)));
                        return PyNone.Instance;
                    }),
                    _ => null,
                };
            case PyDict dict:
                return name switch
                {
                    "get" => Method(a => dict.TryGet(a.Arg(0)!, out var value) ? value : a.Arg(1) ?? PyNone.Instance),
                    "most_common" => Method(a => throw interpreter.Refuse("Counter.most_common", a.Site)),
                    "items" or "keys" or "values" => Method(_ => new DictView(dict, name)),
                    "setdefault" => Mutator(a =>
                    {
                        if (dict.TryGet(a.Arg(0)!, out var existing))
                        {
                            return existing;
                        }

                        var value = a.Arg(1) ?? PyNone.Instance;
                        dict.Set(a.Arg(0)!, value);
                        return value;
                    }),
                    "update" => Mutator(a =>
                    {
                        if (a.Arg(0) is PyDict other)
                        {
                            foreach (var entry in other.Entries)
                            {
                                dict.Set(entry.Key, entry.Value);
                            }
                        }

                        foreach (var (key, value) in a.Keywords)
                        {
                            dict.Set(new PyStr(key), value);
                        }

                        return PyNone.Instance;
                    }),
                    "pop" => Mutator(a =>
                    {
                        if (dict.TryGet(a.Arg(0)!, out var value))
                        {
                            dict.Entries.RemoveAll(e => PyEquality.KeyEquals(e.Key, a.Arg(0)!));
                            return value;
                        }

                        return a.Arg(1) ?? throw interpreter.Refuse("KeyError in dict.pop with the default parameters", a.Site);
                    }),
                    "copy" => Method(_ =>
                    {
                        var copy = new PyDict();
                        copy.Entries.AddRange(dict.Entries);
                        return copy;
                    }),
                    _ => null,
                };
            case PySet set:
                return name switch
                {
                    "add" => Mutator(a =>
                    {
                        if (!set.Items.Any(i => PyEquality.KeyEquals(i, a.Arg(0)!)))
                        {
                            set.Items.Add(a.Arg(0)!);
                        }

                        return PyNone.Instance;
                    }),
                    _ => null,
                };
            case PyDate or PyDateTime or PyTimeDelta or SqlScalar { Kind: PyKind.Date or PyKind.DateTime or PyKind.TimeDelta }:
                return DateTimes.Attribute(interpreter, owner, name, site);
            case PyDecimal d:
                return name switch
                {
                    "quantize" => Method(a => a.Arg(0) is PyDecimal quantum
                        ? new PyDecimal(Math.Round(d.Value, Math.Max(0, (int)quantum.Value.Scale), a.Arg(1, "rounding") is PyStr { Value: "ROUND_HALF_UP" } ? MidpointRounding.AwayFromZero : MidpointRounding.ToEven))
                        : throw interpreter.Refuse("Decimal.quantize with a computed quantum", a.Site)),
                    _ => null,
                };
            case SqlScalar { Kind: PyKind.Decimal } scalar when name == "quantize":
                return Method(a => a.Arg(0) is PyDecimal quantum && a.Arg(1, "rounding") is PyStr { Value: "ROUND_HALF_UP" }
                    ? new SqlScalar(new Cast(scalar.Sql, SparkType.Decimal(38, quantum.Value.Scale)), PyKind.Decimal, scalar.Nullable)
                    : throw interpreter.Refuse("Decimal.quantize of a value known only at run time (other than ROUND_HALF_UP)", a.Site));
            case PyInt i:
                return name switch
                {
                    "bit_length" => Method(_ => DriverInterpreter.Int((long)i.Value.GetBitLength())),
                    _ => null,
                };
            case PyFloat f:
                return name switch
                {
                    "is_integer" => Method(_ => PyBool.Of(double.IsFinite(f.Value) && Math.Floor(f.Value) == f.Value)),
                    _ => null,
                };
            case DataFrameValue or ColumnValue or SparkObject or CollectedRows or RowValue:
                return interpreter.Spark.Attribute(owner, name, site);
            default:
                return null;
        }
    }

    private static PyValue? StringMethod(DriverInterpreter interpreter, PyStr s, string name, PyNode site)
    {
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new("str." + name, body);
        string? Arg(CallArguments a, int i) => a.Arg(i) switch
        {
            PyStr text => text.Value,
            null or PyNone => null,
            _ => throw interpreter.Refuse($"str.{name} with an argument known only at run time", a.Site),
        };

        return name switch
        {
            "strip" => Method(a => new PyStr(Arg(a, 0) is { } chars ? s.Value.Trim(chars.ToCharArray()) : PythonStrip(s.Value))),
            "lstrip" => Method(a => new PyStr(Arg(a, 0) is { } chars ? s.Value.TrimStart(chars.ToCharArray()) : s.Value.TrimStart())),
            "rstrip" => Method(a => new PyStr(Arg(a, 0) is { } chars ? s.Value.TrimEnd(chars.ToCharArray()) : s.Value.TrimEnd())),
            "lower" => Method(_ => new PyStr(s.Value.ToLowerInvariant())),
            "upper" => Method(_ => new PyStr(s.Value.ToUpperInvariant())),
            "title" => Method(_ => new PyStr(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(s.Value.ToLowerInvariant()))),
            "split" => Method(a =>
            {
                var separator = Arg(a, 0);
                var parts = separator is null ? s.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : s.Value.Split(separator);
                return new PyList(parts.Select(p => (PyValue)new PyStr(p)));
            }),
            "join" => Method(a =>
            {
                if (a.Arg(0) is Rows.GuardedList guardedList)
                {
                    return guardedList.Join(s.Value, interpreter, a.Site);
                }

                var items = Iteration.TryConcrete(a.Arg(0)!, interpreter, a.Site) ?? throw interpreter.Refuse("str.join of data known only at run time", a.Site);
                var parts = new List<PyValue>();
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0)
                    {
                        parts.Add(s);
                    }

                    parts.Add(items[i] is PyStr or PyText or SqlScalar { Kind: PyKind.Str } ? items[i] : throw interpreter.Refuse("str.join of a non-string (TypeError in Python)", a.Site));
                }

                return Texts.Concat(parts, a.Site, interpreter);
            }),
            "replace" => Method(a => new PyStr(s.Value.Replace(Arg(a, 0)!, Arg(a, 1)!, StringComparison.Ordinal))),
            "startswith" => Method(a => PyBool.Of(s.Value.StartsWith(Arg(a, 0)!, StringComparison.Ordinal))),
            "endswith" => Method(a => PyBool.Of(s.Value.EndsWith(Arg(a, 0)!, StringComparison.Ordinal))),
            "format" => Method(a => Texts.Format(s.Value, a, interpreter)),
            "encode" => Method(_ => new EncodedText(s)),
            "isdigit" => Method(_ => PyBool.Of(s.Value.Length > 0 && s.Value.All(char.IsDigit))),
            "zfill" => Method(a => new PyStr(s.Value.PadLeft((int)((PyInt)a.Arg(0)!).Value, '0'))),
            "count" => Method(a => DriverInterpreter.Int(CountOf(s.Value, Arg(a, 0)!))),
            "find" => Method(a => DriverInterpreter.Int(s.Value.IndexOf(Arg(a, 0)!, StringComparison.Ordinal))),
            "splitlines" => Method(_ => new PyList(s.Value.Split('\n').Select(p => (PyValue)new PyStr(p.TrimEnd('\r'))))),
            _ => null,
        };
    }

    private static int CountOf(string text, string part)
    {
        if (part.Length == 0)
        {
            return text.Length + 1;
        }

        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>str.strip() with no argument removes what str.isspace() calls whitespace.</summary>
    public static string PythonStrip(string value) =>
        value.Trim(['\t', '\n', '\x0b', '\x0c', '\r', '\x1c', '\x1d', '\x1e', '\x1f', ' ', '\x85', '\xa0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000']);

    private static PyValue? SymbolicStringMethod(DriverInterpreter interpreter, SqlScalar s, string name, PyNode site, PyValue original)
    {
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new("str." + name, body);
        Expr NotNone(string method) => s.Nullable
            ? PySemantics.RaiseWhen(new IsNull(s.Sql, false), $"AttributeError: 'NoneType' object has no attribute '{method}'", s.Sql)
            : s.Sql;

        return name switch
        {
            "strip" => Method(a => a.Count == 0
                ? new SqlScalar(new FunctionCall("py_strip", [NotNone("strip")]), PyKind.Str, false)
                : throw interpreter.Refuse("str.strip(chars) of a value known only at run time", a.Site)),
            "lower" => Method(_ => Assumed(interpreter, site, new SqlScalar(new FunctionCall("lower", [NotNone("lower")]), PyKind.Str, false))),
            "upper" => Method(_ => Assumed(interpreter, site, new SqlScalar(new FunctionCall("upper", [NotNone("upper")]), PyKind.Str, false))),
            "replace" => Method(a => a.Arg(0) is PyStr from && a.Arg(1) is PyStr to
                ? new SqlScalar(new FunctionCall("replace", [NotNone("replace"), Literal.Of(from.Value), Literal.Of(to.Value)]), PyKind.Str, false)
                : throw interpreter.Refuse("str.replace with arguments known only at run time", a.Site)),
            "encode" => Method(_ => new EncodedText(s with { Sql = NotNone("encode"), Nullable = false })),
            "format" when original is PyText => Method(a => throw interpreter.Refuse(".format on text known only at run time", a.Site)),
            _ => null,
        };
    }

    /// <summary>Python's lower()/upper() use full Unicode case mappings; Spark and DuckDB agree with
    /// them except for a few special casings (ß, İ, final sigma).</summary>
    private static SqlScalar Assumed(DriverInterpreter interpreter, PyNode site, SqlScalar value)
    {
        interpreter.Translation.Assume(new RewriteAssumption("case-mapping", "Python's str.lower()/upper() and SQL lower()/upper() agree on the job's text (they differ only for special casings such as 'ß' and 'İ').", 0.95, null, null, interpreter.File, interpreter.LineOf(site)));
        return value;
    }
}
