using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Python;

/// <summary>The library modules legacy jobs import, as far as their results matter to the output:
/// pyspark (the plan), datetime and decimal (values), hashlib (hashes), sys.argv and dbutils widgets
/// (the job's parameters). Logging, metrics, clocks and JSON dumps change no rows: they yield values
/// that refuse only if they reach the output.</summary>
internal static class Modules
{
    public static PyValue Import(DriverInterpreter interpreter, string name, PyNode site) => name switch
    {
        "pyspark" or "pyspark.sql" => interpreter.Spark.Module(name),
        "pyspark.sql.functions" => interpreter.Spark.Functions,
        "pyspark.sql.types" => interpreter.Spark.Types,
        "pyspark.sql.window" => interpreter.Spark.WindowModule,
        "logging" => Logging(),
        "datetime" => DateTimes.Module(interpreter),
        "decimal" => new PyObject("module decimal", attr => attr switch
        {
            "Decimal" => DecimalType(interpreter),
            "ROUND_HALF_UP" or "ROUND_HALF_EVEN" or "ROUND_DOWN" => new PyStr(attr),
            _ => null,
        }),
        "sys" => Sys(interpreter),
        "json" => new PyObject("module json", attr => attr is "dumps" or "loads" ? new PyBuiltin("json." + attr, a => new PyUnknown("json text", a.Site.Line)) : null),
        "time" => Time(),
        "hashlib" => new PyObject("module hashlib", attr => attr is "sha256" or "md5" or "sha1" ? new PyBuiltin("hashlib." + attr, a => Hashes.New(interpreter, attr, a)) : null),
        "functools" => new PyObject("module functools", attr => attr switch
        {
            "wraps" => new PyBuiltin("functools.wraps", _ => new PyBuiltin("wraps", b => b.Arg(0)!)),
            "lru_cache" or "cache" => new PyBuiltin("functools." + attr, b => b.Arg(0) is PyFunction f ? f : new PyBuiltin(attr, c => c.Arg(0)!)),
            _ => null,
        }),
        "contextlib" => new PyObject("module contextlib", attr => attr == "contextmanager"
            ? new PyBuiltin("contextmanager", a => new PyBuiltin("context factory", _ => Context()))
            : null),
        "collections" => new PyObject("module collections", attr => attr switch
        {
            "Counter" => new PyBuiltin("collections.Counter", _ => new PyDict { Missing = DriverInterpreter.Int(0) }),
            "OrderedDict" => new PyBuiltin("collections.OrderedDict", _ => new PyDict()),
            "defaultdict" => new PyBuiltin("collections.defaultdict", a => new PyDict
            {
                MissingInserts = true,
                Missing = a.Arg(0) switch
                {
                    PyBuiltin { Name: "int" } => DriverInterpreter.Int(0),
                    PyBuiltin { Name: "float" } => new PyFloat(0),
                    PyBuiltin { Name: "str" } => new PyStr(string.Empty),
                    _ => throw interpreter.Refuse("defaultdict with a factory other than int, float or str", a.Site),
                },
            }),
            _ => null,
        }),
        "os" => new PyObject("module os", attr => attr switch
        {
            "environ" => new PyObject("os.environ", key => key == "get" ? new PyBuiltin("environ.get", a => a.Arg(1) ?? PyNone.Instance) : null),
            "getenv" => new PyBuiltin("os.getenv", a => a.Arg(1) ?? PyNone.Instance),
            "path" => new PyObject("module os.path", _ => null),
            _ => null,
        }),
        "math" => new PyObject("module math", attr => attr switch
        {
            "floor" => new PyBuiltin("math.floor", a => a.Arg(0) is PyFloat f ? new PyInt(new BigInteger(Math.Floor(f.Value))) : a.Arg(0) is PyInt i ? i : throw interpreter.Refuse("math.floor of a value known only at run time", a.Site)),
            "ceil" => new PyBuiltin("math.ceil", a => a.Arg(0) is PyFloat f ? new PyInt(new BigInteger(Math.Ceiling(f.Value))) : a.Arg(0) is PyInt i ? i : throw interpreter.Refuse("math.ceil of a value known only at run time", a.Site)),
            "isnan" => new PyBuiltin("math.isnan", a => a.Arg(0) is PyFloat f ? PyBool.Of(double.IsNaN(f.Value)) : throw interpreter.Refuse("math.isnan of a value known only at run time", a.Site)),
            _ => null,
        }),
        "typing" or "dataclasses" or "abc" or "__future__" or "warnings" or "argparse" or "traceback" or "uuid" or "re" or "pandas" or "numpy"
            => new PyObject("module " + name, attr => new PyUnknown($"{name}.{attr}", site.Line)),
        _ when name.StartsWith("pyspark", StringComparison.Ordinal) => interpreter.Spark.Module(name),
        _ => new PyObject("module " + name, attr => new PyUnknown($"{name}.{attr} (a module the rewriter does not model)", site.Line)),
    };

    public static PyValue ImportFrom(DriverInterpreter interpreter, string module, string name, PyNode site)
    {
        var imported = Import(interpreter, module, site);
        return imported is PyObject obj ? obj.Attribute(name) ?? new PyUnknown($"{module}.{name}", site.Line) : imported;
    }

    public static bool IsIgnorableDecorator(string name) => name is "timed" or "log_calls" or "traced" or "udf" or "pandas_udf";

    private static PyValue Logging()
    {
        PyValue logger = null!;
        logger = new PyObject("logger", attr => attr switch
        {
            "info" or "warning" or "warn" or "error" or "debug" or "exception" or "critical" or "log" or "setLevel" or "addHandler" => new PyBuiltin("logger." + attr, _ => PyNone.Instance),
            "level" => new PyInt(20),
            _ => null,
        });
        return new PyObject("module logging", attr => attr switch
        {
            "getLogger" => new PyBuiltin("logging.getLogger", _ => logger),
            "basicConfig" or "info" or "warning" or "error" or "debug" or "exception" => new PyBuiltin("logging." + attr, _ => PyNone.Instance),
            "DEBUG" => new PyInt(10),
            "INFO" => new PyInt(20),
            "WARNING" => new PyInt(30),
            "ERROR" => new PyInt(40),
            "CRITICAL" => new PyInt(50),
            "StreamHandler" or "Formatter" => new PyBuiltin("logging." + attr, _ => logger),
            _ => null,
        });
    }

    private static PyValue Time() => new PyObject("module time", attr => attr switch
    {
        "time" or "monotonic" or "perf_counter" => new PyBuiltin("time." + attr, a => new PyUnknown("a clock reading", a.Site.Line)),
        "sleep" => new PyBuiltin("time.sleep", _ => PyNone.Instance),
        _ => null,
    });

    private static PyValue Context() => new PyObject("context manager", _ => null);

    /// <summary>sys.argv as the scheduler starts the job: the script, then each parameter with a value
    /// as the flag the code compares against (--name or --kebab-name).</summary>
    private static PyValue Sys(DriverInterpreter interpreter) => new PyObject("module sys", attr => attr switch
    {
        "argv" => interpreter.Argv,
        "exit" => new PyBuiltin("sys.exit", a => throw interpreter.Refuse("sys.exit() with the default parameters", a.Site)),
        "version" or "version_info" => new PyUnknown("the Python version", 0),
        _ => null,
    });

    private static PyValue DecimalType(DriverInterpreter interpreter) => new PyBuiltin("Decimal", a => a.Arg(0) switch
    {
        null => new PyDecimal(0m),
        PyStr s => decimal.TryParse(s.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? new PyDecimal(d) : throw interpreter.Refuse($"Decimal('{s.Value}')", a.Site),
        PyInt i => new PyDecimal((decimal)i.Value),
        PyDecimal d => d,
        PyFloat => throw interpreter.Refuse("Decimal(float) (the exact binary value)", a.Site),
        SqlScalar { Kind: PyKind.Int or PyKind.Decimal } s => new SqlScalar(new Cast(s.Sql, s.Kind == PyKind.Int ? SparkType.Decimal(20, 0) : Plan.TypeInference.TypeOf(s.Sql)), PyKind.Decimal, s.Nullable),
        var other => throw interpreter.Refuse($"Decimal() of a {other.TypeName}", a.Site),
    });

    /// <summary>globals(): the module namespace; dbutils is there only in a notebook.</summary>
    public static PyValue Globals(DriverInterpreter interpreter)
    {
        var dict = new PyDict();
        foreach (var (name, value) in interpreter.Module.Locals)
        {
            dict.Set(new PyStr(name), value);
        }

        if (interpreter.Module.Parent!.TryGet("dbutils", out var dbutils) && interpreter.IsNotebook)
        {
            dict.Set(new PyStr("dbutils"), dbutils);
        }

        return dict;
    }
}

/// <summary>hashlib digests: concrete bytes hash now; a run-time string hashes in SQL (sha2 of its UTF-8).</summary>
internal static class Hashes
{
    public static PyValue New(DriverInterpreter interpreter, string algorithm, CallArguments a)
    {
        var data = a.Arg(0);
        return new PyObject("hash", attr => attr == "hexdigest"
            ? new PyBuiltin("hexdigest", b => data switch
            {
                EncodedText { Text: PyStr s } => new PyStr(Convert.ToHexStringLower(algorithm switch
                {
                    "sha256" => SHA256.HashData(Encoding.UTF8.GetBytes(s.Value)),
                    "sha1" => SHA1.HashData(Encoding.UTF8.GetBytes(s.Value)),
                    _ => MD5.HashData(Encoding.UTF8.GetBytes(s.Value)),
                })),
                EncodedText { Text: SqlScalar s } when algorithm == "sha256" => new SqlScalar(new FunctionCall("sha2", [s.Sql, Literal.Of(256)]), PyKind.Str, s.Nullable),
                EncodedText { Text: SqlScalar s } when algorithm == "md5" => new SqlScalar(new FunctionCall("md5", [s.Sql]), PyKind.Str, s.Nullable),
                _ => throw interpreter.Refuse($"hashlib.{algorithm} of this value", b.Site),
            })
            : null);
    }
}

/// <summary>str.encode(): bytes only hashlib consumes.</summary>
internal sealed record EncodedText(PyValue Text) : PyValue
{
    public override string TypeName => "bytes";
}
