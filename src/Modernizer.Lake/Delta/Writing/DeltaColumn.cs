namespace Modernizer.Lake.Delta.Writing;

/// <summary>A column of the table: its name, the DuckDB type it was written with and the Delta
/// schema type (as JSON text: <c>"long"</c>, <c>"decimal(18,2)"</c> or a nested type object).</summary>
public sealed record DeltaColumn(string Name, string DuckDbType, string DeltaTypeJson);
