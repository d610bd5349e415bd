using Modernizer.Specs.Testing.Harness;

namespace Modernizer.Specs.Testing.Running;

/// <summary>What running one target of one case gave: the rewrite's rows as a Parquet file, or the
/// rewrite's failure (it ran and raised), or an error of the harness itself (inputs not loadable).</summary>
public sealed record Execution(string? ActualParquet, string? RewriteFailure, string? Error);

/// <summary>Runs the rewrite of one target on one case's inputs in an engine: DuckDB locally (the
/// <c>&lt;job&gt;.duckdb.sql</c> rendering) or a Databricks SQL warehouse (the <c>&lt;job&gt;.sql</c> deliverable).</summary>
public interface ICaseExecutor
{
    string Engine { get; }

    Task<Execution> RunAsync(CaseFile file, string target, RewriteFiles rewrite, int targets, string work, CancellationToken cancellationToken);
}
