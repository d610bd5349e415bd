using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Spark;

/// <summary>pyspark.sql.types, Window, and createDataFrame with PySpark's type verification.</summary>
internal sealed partial class SparkApi
{
    private PyObject? _types;

    public PyObject Types => _types ??= new PyObject("module pyspark.sql.types", name =>
    {
        SparkType? simple = name switch
        {
            "StringType" => SparkType.String,
            "IntegerType" => SparkType.Int,
            "LongType" => SparkType.Long,
            "ShortType" => SparkType.Short,
            "ByteType" => SparkType.Byte,
            "DoubleType" => SparkType.Double,
            "FloatType" => SparkType.Float,
            "BooleanType" => SparkType.Boolean,
            "DateType" => SparkType.Date,
            "TimestampType" => SparkType.Timestamp,
            "TimestampNTZType" => SparkType.TimestampNtz,
            "BinaryType" => SparkType.Binary,
            _ => null,
        };
        if (simple is not null)
        {
            return new PyBuiltin(name, _ => TypeValue.Of(simple));
        }

        return name switch
        {
            "DecimalType" => new PyBuiltin(name, a => TypeValue.Of(SparkType.Decimal(
                a.Arg(0, "precision") is PyInt p ? (int)p.Value : 10,
                a.Arg(1, "scale") is PyInt s ? (int)s.Value : 0))),
            "StructField" => new PyBuiltin(name, a => new StructFieldValue(
                a.Arg(0, "name") is PyStr n ? n.Value : throw interpreter.Refuse("a StructField named at run time", a.Site),
                TypeOf(a.Arg(1, "dataType")!, a.Site),
                a.Arg(2, "nullable") is not PyBool { Value: false })),
            "StructType" => new PyBuiltin(name, a => new TypeValue(SparkType.Unknown, [.. (a.Arg(0, "fields") is { } fields ? Iteration.TryConcrete(fields, interpreter, a.Site) ?? [] : [])
                .Select(f => f is StructFieldValue structField ? new SchemaColumn(structField.Name, structField.Type, structField.Nullable) : throw interpreter.Refuse("a StructType field that is not a StructField", a.Site))])),
            "ArrayType" or "MapType" => new PyBuiltin(name, a => throw interpreter.Refuse(name, a.Site)),
            "Row" => new PyBuiltin("Row", NamedRow),
            _ => null,
        };
    });

    private PyObject? _window;

    public PyObject WindowModule => _window ??= new PyObject("module pyspark.sql.window", name => name == "Window" ? WindowClass : null);

    public PyObject WindowClass => new("Window", name => name switch
    {
        "partitionBy" or "orderBy" => new PyBuiltin("Window." + name, a => WindowStep(SparkObject.Of("WindowSpec"), name, a)),
        "unboundedPreceding" => DriverInterpreter.Int(long.MinValue),
        "unboundedFollowing" => DriverInterpreter.Int(long.MaxValue),
        "currentRow" => DriverInterpreter.Int(0),
        _ => null,
    });

    private PyValue WindowStep(SparkObject spec, string step, CallArguments a)
    {
        var items = a.Positional.Length == 1 && a.Positional[0] is PyList or PyTuple ? Iteration.TryConcrete(a.Positional[0], interpreter, a.Site)! : [.. a.Positional];
        switch (step)
        {
            case "partitionBy":
                return spec.With("partitionBy", items.Select(i => ColumnOf(i, a.Site).Expr).ToImmutableArray());
            case "orderBy":
                return spec.With("orderBy", items.Select(i => SortKey(i, descending: false, a.Site)).ToImmutableArray());
            default:
                FrameBound Bound(PyValue value, bool start) => value switch
                {
                    PyInt i when i.Value == long.MinValue => FrameBound.UnboundedPreceding,
                    PyInt i when i.Value == long.MaxValue => FrameBound.UnboundedFollowing,
                    PyInt i when i.Value.IsZero => FrameBound.CurrentRow,
                    PyInt i when i.Value < 0 => new FrameBound(FrameBoundKind.Preceding, Sql.Syntax.Literal.Of((long)-i.Value)),
                    PyInt i => new FrameBound(FrameBoundKind.Following, Sql.Syntax.Literal.Of((long)i.Value)),
                    _ => throw interpreter.Refuse("a window frame bound known only at run time", a.Site),
                };
                return spec.With("frame", new WindowFrame(step == "rowsBetween" ? FrameUnit.Rows : FrameUnit.Range, Bound(a.Arg(0)!, true), Bound(a.Arg(1)!, false)));
        }
    }

    /// <summary>spark.createDataFrame(data, schema): literal rows become VALUES; rows the driver built
    /// in a lifted loop are already a relation. PySpark verifies each value against the schema
    /// (verifySchema=True): a value of the wrong Python type fails the legacy job, so it is refused.</summary>
    private PyValue CreateDataFrame(CallArguments a)
    {
        var data = a.Arg(0, "data")!;
        var schemaValue = a.Arg(1, "schema");
        if (data is DataFrameValue already)
        {
            return already;
        }

        var names = ColumnNames(schemaValue, a.Site);
        if (Rows.RowSets.AsRelation(interpreter, data, a.Site) is { } relation)
        {
            var declared = names is not null ? Inferred(names, [.. relation.Kinds], a.Site) : schemaValue is null ? null : Schema(schemaValue, a.Site);
            return new DataFrameValue(Rows.RowSets.ToFrame(interpreter, relation, declared, a.Site));
        }

        var rows = Iteration.TryConcrete(data, interpreter, a.Site) ?? throw interpreter.Refuse($"createDataFrame of a {data.TypeName}", a.Site);
        var schema = names is not null ? InferredFromRows(names, rows, a.Site) : schemaValue is null ? InferSchema(rows, a.Site) : Schema(schemaValue, a.Site);
        var values = rows.Select(row => RowValues(row, schema, a.Site)).ToList();
        var columns = schema.Columns.Select(c => new FrameColumn(c.Name, c.Name, c.Type, c.Nullable, interpreter.Ids.NewOrigin())).ToImmutableArray();
        var plan = new Plan.Values([.. values.Select(v => v.ToEquatableArray())], schema);
        return new DataFrameValue(new Frame(plan, columns, new RowOrder.Physical("the literal rows")));
    }

    private ImmutableArray<Expr> RowValues(PyValue row, Schema schema, PyNode site)
    {
        var fields = row switch
        {
            PyTuple tuple => tuple.Items,
            PyList list => [.. list.Items],
            NamedRowValue named => named.Values,
            PyDict dict => [.. schema.Columns.Select(c => dict.TryGet(new PyStr(c.Name), out var v) ? v : PyNone.Instance)],
            _ => schema.Count == 1 ? [row] : throw interpreter.Refuse($"a row given as a {row.TypeName}", site),
        };
        if (fields.Length != schema.Count)
        {
            throw interpreter.Refuse($"a row of {fields.Length} values for a schema of {schema.Count} columns", site);
        }

        return [.. fields.Select((value, i) => Verified(value, schema.Columns[i], site))];
    }

    /// <summary>One value into its column as PySpark's verifier and converter would.</summary>
    public Expr Verified(PyValue value, SchemaColumn column, PyNode site)
    {
        if (value is PyUnknown unknown)
        {
            throw interpreter.Refuse(unknown.Reason + " reaches the output", site);
        }

        var kind = PySemantics.KindOf(value);
        if (kind == PyKind.None && value is PyNone)
        {
            return column.Nullable ? new Cast(Sql.Syntax.Literal.Null, column.Type) : throw interpreter.Refuse($"None in the non-nullable column {column.Name} (ValueError in PySpark)", site);
        }

        var accepted = column.Type switch
        {
            IntegralType => kind is PyKind.Int,
            FractionalType => kind is PyKind.Float,
            DecimalType => kind is PyKind.Decimal,
            StringType or CharType => kind is PyKind.Str,
            BooleanType => kind is PyKind.Bool,
            DateType => kind is PyKind.Date or PyKind.DateTime,
            TimestampType or TimestampNtzType => kind is PyKind.DateTime,
            _ => false,
        };
        if (!accepted)
        {
            throw interpreter.Refuse($"a {kind} value for the column {column.Name} of type {column.Type} (TypeError in PySpark's schema check)", site);
        }

        var sql = Literal(value, site);
        if (value is SqlScalar { Nullable: true } && !column.Nullable)
        {
            sql = PySemantics.RaiseWhen(new IsNull(sql, false), $"ValueError: field {column.Name}: This field is not nullable, but got None", sql);
        }

        var type = TypeInference.TypeOf(sql);
        return type.Equals(column.Type) ? sql : new Cast(sql, column.Type);
    }

    private Schema InferSchema(List<PyValue> rows, PyNode site)
    {
        if (rows.Count == 0 || rows[0] is not NamedRowValue first)
        {
            throw interpreter.Refuse("createDataFrame without a schema (types inferred from data)", site);
        }

        return new Schema(first.Names.Select((name, i) => new SchemaColumn(name, first.Values[i] switch
        {
            PyInt => SparkType.Long,
            PyFloat => SparkType.Double,
            PyStr => SparkType.String,
            PyBool => SparkType.Boolean,
            PyDate => SparkType.Date,
            _ => throw interpreter.Refuse("a schema inferred from a value of this type", site),
        })).ToEquatableArray());
    }

    /// <summary>createDataFrame(data, ["a", "b"]): the column names, the types inferred from the data.</summary>
    private ImmutableArray<string>? ColumnNames(PyValue? schema, PyNode site)
    {
        if (schema is not (PyList or PyTuple))
        {
            return null;
        }

        var items = Iteration.TryConcrete(schema, interpreter, site) ?? throw interpreter.Refuse("a list of column names known only at run time", site);
        return [.. items.Select(item => item is PyStr name ? name.Value : throw interpreter.Refuse($"a column name given as a {item.TypeName}", site))];
    }

    /// <summary>PySpark's inference (<c>_infer_type</c>): int → bigint, float → double, str → string, bool →
    /// boolean, Decimal → decimal(38,18), date → date, datetime → timestamp. A column whose values
    /// disagree, or that is only ever None, fails the legacy job's createDataFrame, so it is refused.</summary>
    private Schema Inferred(IReadOnlyList<string> names, IReadOnlyList<PyKind> kinds, PyNode site)
    {
        if (names.Count != kinds.Count)
        {
            throw interpreter.Refuse($"rows of {kinds.Count} values for {names.Count} column names", site);
        }

        return new Schema(names.Select((name, i) => new SchemaColumn(name, kinds[i] switch
        {
            PyKind.Int => SparkType.Long,
            PyKind.Float => SparkType.Double,
            PyKind.Str => SparkType.String,
            PyKind.Bool => SparkType.Boolean,
            PyKind.Decimal => new DecimalType(38, 18),
            PyKind.Date => SparkType.Date,
            PyKind.DateTime => SparkType.Timestamp,
            _ => throw interpreter.Refuse($"the type of column {name} inferred from {kinds[i]} values", site),
        })).ToEquatableArray());
    }

    private Schema InferredFromRows(IReadOnlyList<string> names, List<PyValue> rows, PyNode site)
    {
        var kinds = new PyKind?[names.Count];
        foreach (var row in rows)
        {
            var values = row switch
            {
                PyTuple tuple => tuple.Items,
                PyList list => [.. list.Items],
                _ => throw interpreter.Refuse($"a row given as a {row.TypeName} with column names", site),
            };
            if (values.Length != names.Count)
            {
                throw interpreter.Refuse($"a row of {values.Length} values for {names.Count} column names", site);
            }

            for (var i = 0; i < values.Length; i++)
            {
                var kind = PySemantics.KindOf(values[i]);
                if (kind == PyKind.None)
                {
                    continue;
                }

                if (kinds[i] is { } seen && seen != kind)
                {
                    throw interpreter.Refuse($"column {names[i]} holds {seen} and {kind} values (PySpark cannot merge the types)", site);
                }

                kinds[i] = kind;
            }
        }

        return Inferred(names, [.. kinds.Select((k, i) => k ?? throw interpreter.Refuse($"column {names[i]} holds only None (PySpark cannot infer its type)", site))], site);
    }

    /// <summary>A schema given as a StructType, a DDL string ("a int, b string") or a list of names.</summary>
    public Schema Schema(PyValue value, PyNode site)
    {
        switch (value)
        {
            case TypeValue { Fields.IsDefaultOrEmpty: false } type:
                return new Schema(type.Fields.ToEquatableArray());
            case PyStr ddl:
                var columns = new List<SchemaColumn>();
                foreach (var part in SplitTopLevel(ddl.Value))
                {
                    var trimmed = part.Trim();
                    var space = trimmed.IndexOfAny([' ', ':']);
                    if (space <= 0)
                    {
                        throw interpreter.Refuse($"the schema string '{ddl.Value}'", site);
                    }

                    columns.Add(new SchemaColumn(trimmed[..space].Trim('`'), TypeOf(new PyStr(trimmed[(space + 1)..].Trim()), site)));
                }

                return new Schema(columns.ToEquatableArray());
            default:
                throw interpreter.Refuse($"a schema given as a {value.TypeName}", site);
        }
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' or '<' => 1, ')' or '>' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}

internal sealed record StructFieldValue(string Name, SparkType Type, bool Nullable) : PyValue
{
    public override string TypeName => "StructField";
}
