using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Spark;

/// <summary>The PySpark API as the driver program sees it: the session (tables, SQL, conf, catalog,
/// createDataFrame), DataFrames, Columns and writers. Reads become scans of the lake's tables, SQL
/// text goes through the Spark SQL planner, writes become the job's write steps.</summary>
internal sealed partial class SparkApi(DriverInterpreter interpreter)
{
    public PyValue Session { get; } = SparkObject.Of("SparkSession");

    public PyValue Module(string name) => new PyObject("module " + name, attr => attr switch
    {
        "SparkSession" => new PyObject("SparkSession", a => a == "builder" ? SparkObject.Of("Builder") : a == "getActiveSession" ? new PyBuiltin("getActiveSession", _ => Session) : null),
        "functions" => Functions,
        "types" => Types,
        "Window" or "window" => attr == "Window" ? WindowClass : WindowModule,
        "Row" => new PyBuiltin("Row", a => NamedRow(a)),
        "DataFrame" => new PyBuiltin("DataFrame", a => throw interpreter.Refuse("DataFrame()", a.Site)),
        "Column" => new PyBuiltin("Column", a => throw interpreter.Refuse("Column()", a.Site)),
        "sql" => Module("pyspark.sql"),
        "SparkContext" or "SparkConf" => new PyBuiltin(attr, a => SparkObject.Of("SparkContext")),
        "StorageLevel" => new PyObject("StorageLevel", _ => PyNone.Instance),
        _ => null,
    });

    private static PyValue NamedRow(CallArguments a) =>
        new NamedRowValue([.. a.KeywordOrder], [.. a.KeywordOrder.Select(k => a.Keywords[k])]);

    public PyValue Attribute(PyValue owner, string name, PyNode site)
    {
        var found = owner switch
        {
            DataFrameValue frame => FrameAttribute(frame, name, site),
            ColumnValue column => ColumnAttribute(column, name, site),
            SparkObject obj => ObjectAttribute(obj, name, site),
            CollectedRows rows => RowsAttribute(rows, name, site),
            RowValue row => RowFieldAttribute(row, name, site),
            _ => null,
        };
        return found ?? throw interpreter.Refuse($"{owner.TypeName}.{name}", site);
    }

    private PyValue? ObjectAttribute(SparkObject obj, string name, PyNode site)
    {
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new($"{obj.Kind}.{name}", body);
        switch (obj.Kind, name)
        {
            case ("Builder", "appName" or "master" or "config" or "enableHiveSupport"):
                return Method(_ => obj);
            case ("Builder", "getOrCreate"):
                return Method(_ => Session);
            case ("SparkSession", "table"):
                return Method(a => Table(a.Arg(0)!, a.Site));
            case ("SparkSession", "sql"):
                return Method(a => SqlQuery(a.Arg(0)!, a));
            case ("SparkSession", "read"):
                return SparkObject.Of("DataFrameReader");
            case ("SparkSession", "conf"):
                return SparkObject.Of("RuntimeConfig");
            case ("SparkSession", "catalog"):
                return SparkObject.Of("Catalog");
            case ("SparkSession", "sparkContext"):
                return SparkObject.Of("SparkContext");
            case ("SparkSession", "createDataFrame"):
                return Method(CreateDataFrame);
            case ("SparkSession", "stop" or "newSession"):
                return Method(_ => PyNone.Instance);
            case ("SparkContext", "setCheckpointDir" or "setLogLevel" or "setJobGroup" or "setLocalProperty"):
                return Method(_ => PyNone.Instance);
            case ("SparkContext", "broadcast"):
                return Method(a => new PyObject("Broadcast", attr => attr == "value" ? a.Arg(0)! : null));
            case ("RuntimeConfig", "set"):
                return Method(_ => PyNone.Instance);
            case ("RuntimeConfig", "get"):
                return Method(a => ConfGet(a));
            case ("Catalog", "tableExists"):
                return Method(a => TableExists(a));
            case ("DataFrameReader", "table"):
                return Method(a => Table(a.Arg(0)!, a.Site));
            case ("DataFrameReader", "format" or "option" or "options" or "schema"):
                return Method(_ => obj);
            case ("DataFrameReader", "load" or "parquet" or "delta"):
                return Method(a => Table(new PyStr(Path(a.Arg(0, "path")!, a.Site)), a.Site));
            case ("DataFrameReader", "csv" or "json" or "text" or "jdbc" or "orc"):
                return Method(a => throw interpreter.Refuse($"spark.read.{name} (a source outside the lake)", a.Site));
            case ("DataFrameWriter", _):
                return WriterAttribute(obj, name, site);
            case ("GroupedData", _):
                return GroupedAttribute(obj, name, site);
            case ("WindowSpec", "partitionBy" or "orderBy" or "rowsBetween" or "rangeBetween"):
                return Method(a => WindowStep(obj, name, a));
            case ("Widgets", "text" or "dropdown" or "combobox" or "multiselect"):
                return Method(a =>
                {
                    interpreter.Parameters.DeclareDefault(Text(a.Arg(0)!, a.Site), a.Arg(1) is PyStr value ? value.Value : null);
                    return PyNone.Instance;
                });
            case ("Widgets", "get" or "getArgument"):
                return Method(a => Parameter(Text(a.Arg(0)!, a.Site), "widget", a.Arg(1) is PyStr d ? d.Value : null, a.Site));
            case ("Widgets", "removeAll" or "remove"):
                return Method(_ => PyNone.Instance);
            case ("DBUtils", "widgets"):
                return SparkObject.Of("Widgets");
            case ("DBUtils", "notebook" or "fs" or "secrets" or "jobs"):
                return new PyObject("dbutils." + name, attr => new PyBuiltin($"dbutils.{name}.{attr}", a => attr is "exit" ? PyNone.Instance : throw interpreter.Refuse($"dbutils.{name}.{attr}", a.Site)));
            default:
                return null;
        }
    }

    public static PyValue DbUtils => SparkObject.Of("DBUtils");

    private string Text(PyValue value, PyNode site) => value switch
    {
        PyStr s => s.Value,
        SqlScalar when interpreter.Freeze(value, "a name (a table or a column)", site) is PyStr frozen => frozen.Value,
        _ => throw interpreter.Refuse("a name known only at run time", site),
    };

    /// <summary>A job parameter's value: symbolic (a named marker) with the default the legacy run used.</summary>
    public PyValue Parameter(string name, string source, string? codeDefault, PyNode site)
    {
        interpreter.Parameters.DeclareDefault(name, codeDefault);
        var value = interpreter.Parameters.DefaultOf(name);
        var marker = interpreter.Parameters.Use(name, SparkType.String, source);
        return new SqlScalar(marker, PyKind.Str, value is null) { Known = value is null ? PyNone.Instance : new PyStr(value) };
    }

    /// <summary>spark.conf.get(key, default): a parameter named after the key's last part when job.yaml
    /// or the code gives it; other settings have no effect on rows.</summary>
    private PyValue ConfGet(CallArguments a)
    {
        var key = Text(a.Arg(0)!, a.Site);
        var name = key.Split('.')[^1];
        var fallback = a.Arg(1) switch
        {
            PyStr s => s.Value,
            null or PyNone => null,
            var other => PySemantics.ConcreteText(other),
        };
        if (key.StartsWith("spark.sql.", StringComparison.Ordinal) || key.StartsWith("spark.databricks.", StringComparison.Ordinal))
        {
            return fallback is null ? new PyUnknown($"the setting {key}", a.Site.Line) : new PyStr(fallback);
        }

        return Parameter(name, "conf " + key, fallback, a.Site);
    }

    private PyValue TableExists(CallArguments a)
    {
        var table = Text(a.Arg(0)!, a.Site);
        var exists = interpreter.Translation.Schemas?.GetSchema(TableName.Of(table.Split('.'))) is not null;
        interpreter.Translation.Assume(new RewriteAssumption("target-exists", $"spark.catalog.tableExists('{table}') is {(exists ? "true" : "false")}, as in the lake: the rewrite reproduces the runs after the table was created (the first run is covered by CREATE TABLE IF NOT EXISTS).", 0.9, null, null, interpreter.File, interpreter.LineOf(a.Site)));
        return PyBool.Of(exists);
    }

    /// <summary>A table path (/mnt/lake/curated/x, dbfs:/...) mapped to the table it holds.</summary>
    private string Path(PyValue value, PyNode site)
    {
        var path = Text(value, site);
        return interpreter.Settings.TableOfPath(path) ?? throw interpreter.Refuse($"the path {path} (not under a lake mount of modernize.yaml)", site);
    }

    private PyValue Table(PyValue name, PyNode site)
    {
        var table = Text(name, site);
        if (interpreter.Translation.ContentSoFar(table) is { } written)
        {
            return new DataFrameValue(FromPlan(written, new RowOrder.Undefined($"the content {table} got earlier in the run")));
        }

        if (interpreter.Translation.Sql.Views.TryGetValue(table, out var view))
        {
            return new DataFrameValue(FromPlan(view, new RowOrder.Undefined($"the view {table}")));
        }

        var tableName = TableName.Of(table.Split('.'));
        var schema = interpreter.Translation.Schemas?.GetSchema(tableName) ?? throw interpreter.Refuse($"the table {table} (not in the lake, its columns are unknown)", site);
        var scan = new Scan(tableName, schema);
        return new DataFrameValue(new Frame(scan, [.. schema.Columns.Select(c => new FrameColumn(c.Name, c.Name, c.Type, c.Nullable, interpreter.Ids.NewOrigin()))], new RowOrder.Physical(table)));
    }

    /// <summary>A frame over a plan (SQL result, a view): its output columns, made unique.</summary>
    public Frame FromPlan(PlanNode plan, RowOrder order)
    {
        var schema = PlanSchema.Of(plan);
        if (!schema.IsKnown)
        {
            throw new RewriteRefusedException("a query whose columns are not known (SELECT * over an unknown table?)", interpreter.File, plan.Span.Line);
        }

        var keys = new List<string>();
        var renames = new List<Expr>();
        var columns = ImmutableArray.CreateBuilder<FrameColumn>();
        var renamed = false;
        foreach (var column in schema.Columns)
        {
            var key = FrameIds.UniqueKey(column.Name, keys);
            renamed |= key != column.Name;
            keys.Add(key);
            columns.Add(new FrameColumn(column.Name, key, column.Type, column.Nullable, interpreter.Ids.NewOrigin()));
            renames.Add(new Alias(new ColumnRef([new NamePart(column.Name)]) { Binding = new ColumnBinding(column.Qualifier, column.Name, column.Type, column.Nullable, column.Table, column.SourceColumn) }, key));
        }

        var body = renamed ? new Project(plan, [.. renames]) : plan;
        return new Frame(body, columns.ToImmutable(), order);
    }

    /// <summary>spark.sql(text): the text may carry values known only at run time (f-strings over
    /// parameters or rows); they become expressions of the plan, not SQL text.</summary>
    private PyValue SqlQuery(PyValue text, CallArguments a)
    {
        var (sql, holes) = SqlHoles.Render(text, a.Site, interpreter);
        PlanNode? plan = null;
        foreach (var (statement, line) in interpreter.Sql.Plan(sql, holes, interpreter.File, interpreter.LineOf(a.Site)))
        {
            plan = interpreter.Row is { } row
                ? row.SqlStatement(statement, a.Site) ?? plan
                : interpreter.Sql.Apply(statement, interpreter.File, line, interpreter.Guard, interpreter.PendingChecks) ?? plan;
        }

        return plan is null ? new DataFrameValue(new Frame(new Plan.Values([], Plan.Schema.Empty), [], new RowOrder.Undefined("an empty result"))) : new DataFrameValue(FromPlan(plan, new RowOrder.Undefined("spark.sql")));
    }

    public PyValue Item(PyValue container, PyValue key, PyNode site) => container switch
    {
        DataFrameValue frame => key switch
        {
            PyStr name => ColumnOfFrame(frame.Frame, name.Value, site),
            ColumnValue column => Filter(frame, column, site),
            PyInt index => ColumnOfFrame(frame.Frame, frame.Frame.Columns[(int)index.Value].Name, site),
            _ => throw interpreter.Refuse($"df[{key.TypeName}]", site),
        },
        CollectedRows rows => RowOf(rows, key, site),
        RowValue row => key switch
        {
            PyInt index => row.Fields[(int)index.Value],
            PyStr name => RowFieldAttribute(row, name.Value, site) ?? throw interpreter.Refuse($"row['{name.Value}']", site),
            _ => throw interpreter.Refuse($"row[{key.TypeName}]", site),
        },
        _ => throw interpreter.Refuse($"indexing a {container.TypeName}", site),
    };

    /// <summary>df.x / df["x"]: the column of that DataFrame, by identity.</summary>
    private ColumnValue ColumnOfFrame(Frame frame, string name, PyNode site)
    {
        var matches = frame.Columns.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1
            ? new ColumnValue(ColumnRefs.ByOrigin(matches[0].Origin, matches[0].Name)) { Name = matches[0].Name }
            : throw interpreter.Refuse(matches.Count == 0 ? $"the column {name}" : $"the reference '{name}' is ambiguous", site);
    }

    public PyValue Length(PyValue value, PyNode site) => value switch
    {
        CollectedRows rows => Count(rows.Frame, site),
        Rows.RowSetValue set => Count(set.Frame, site),
        Rows.KeyedValue keyed => Count(keyed.Frame, site),
        PyUnknown unknown => unknown,
        _ => interpreter.Row?.Length(value, site) ?? throw interpreter.Refuse($"len() of a {value.TypeName}", site),
    };

    public PyValue ListOf(PyValue source, PyNode site) => source switch
    {
        CollectedRows rows => rows,
        _ => interpreter.Row?.ListOf(source, site) ?? Rows.RowSets.ListOf(interpreter, source, site) ?? throw interpreter.Refuse($"list() of a {source.TypeName}", site),
    };

    public PyValue Sorted(PyValue source, CallArguments a) =>
        Rows.RowSets.Sorted(interpreter, source, a) ?? throw interpreter.Refuse($"sorted() of a {source.TypeName}", a.Site);

    public PyValue Sum(PyValue source, PyValue start, PyNode site) =>
        Rows.RowSets.Sum(interpreter, source, start, site) ?? throw interpreter.Refuse($"sum() of a {source.TypeName}", site);

    /// <summary>count(): a Python int known at run time (a scalar subquery).</summary>
    public SqlScalar Count(Frame frame, PyNode site) =>
        new(new PlanSubquery(SubqueryKind.Scalar, new Aggregate(frame.Plan, [], [new Alias(new FunctionCall("count", [Sql.Syntax.Literal.Of(1)]), "count")])), PyKind.Int, false);
}

/// <summary>A pyspark Row built with keywords (Row(a=1, b=2)): a tuple whose fields have names.</summary>
internal sealed record NamedRowValue(ImmutableArray<string> Names, ImmutableArray<PyValue> Values) : PyValue
{
    public override string TypeName => "Row";
}
