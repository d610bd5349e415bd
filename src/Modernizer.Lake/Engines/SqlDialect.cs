namespace Modernizer.Lake.Engines;

public enum SqlDialect
{
    DuckDb,
    SparkSql,
}
