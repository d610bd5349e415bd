namespace Modernizer.Code.Frontend;

/// <summary>Names a Databricks job sees without importing them, and canonical module names.</summary>
internal static class Builtins
{
    private static readonly HashSet<string> PythonFunctions = new(StringComparer.Ordinal)
    {
        "len", "str", "int", "float", "round", "print", "range", "sorted", "list", "dict", "set", "tuple",
        "enumerate", "zip", "max", "min", "sum", "abs", "isinstance", "getattr", "open", "bool", "reversed",
        "map", "filter", "any", "all", "repr", "hash", "iter", "next", "display", "Decimal",
    };

    public static PyValue? Resolve(string name) => name switch
    {
        "spark" => new SparkSessionValue(),
        "dbutils" => new ModuleValue("dbutils"),
        "sc" => new ModuleValue("sc"),
        "getArgument" => new ModuleValue("dbutils.widgets.get"),
        "True" => new ConstValue(true),
        "False" => new ConstValue(false),
        "None" => ConstValue.None,
        _ when PythonFunctions.Contains(name) => new ModuleValue("builtins." + name),
        _ => null,
    };

    public static PyValue FromImport(string module, string name) =>
        new ModuleValue(Canonical(module) + "." + name);

    public static PyValue ModuleAttribute(string module, string attribute) =>
        new ModuleValue(module + "." + attribute);

    private static string Canonical(string module) => module switch
    {
        "pyspark.sql.window" => "pyspark.sql",
        "pyspark.sql.session" => "pyspark.sql",
        "pyspark.sql.dataframe" => "pyspark.sql",
        _ => module,
    };
}
