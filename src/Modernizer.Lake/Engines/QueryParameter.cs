namespace Modernizer.Lake.Engines;

/// <summary>A value bound to a named placeholder (<c>$name</c> in DuckDB, <c>:name</c> in Spark SQL);
/// values are never spliced into SQL text.</summary>
public sealed record QueryParameter(string Name, object? Value);
