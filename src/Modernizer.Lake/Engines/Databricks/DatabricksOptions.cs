namespace Modernizer.Lake.Engines.Databricks;

public enum ResultDisposition
{
    /// <summary>Rows come in the response as JSON_ARRAY (results up to 25 MiB).</summary>
    Inline,

    /// <summary>Rows come as Arrow IPC streams behind pre-signed URLs (large results).</summary>
    ExternalLinks,
}

/// <summary>Where and how to run statements on a Databricks SQL warehouse. The token is never part
/// of configuration: it is read from the environment variable named by <see cref="TokenVariable"/>.</summary>
public sealed record DatabricksOptions
{
    /// <summary>Workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net (configuration key engine:databricks:host).</summary>
    public required Uri Host { get; init; }

    /// <summary>SQL warehouse id (engine:databricks:warehouse_id).</summary>
    public required string WarehouseId { get; init; }

    public string? Catalog { get; init; }

    public string? Schema { get; init; }

    public string TokenVariable { get; init; } = "DATABRICKS_TOKEN";

    public ResultDisposition Disposition { get; init; } = ResultDisposition.Inline;

    /// <summary>How long the submit call waits before returning a statement to poll (0 or 5-50 s).</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxRetries { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>A statement the warehouse rejected or that failed while running (state FAILED,
/// delivered as HTTP 200), or an API error.</summary>
public sealed class DatabricksSqlException : Exception
{
    public DatabricksSqlException()
    {
    }

    public DatabricksSqlException(string message)
        : base(message)
    {
    }

    public DatabricksSqlException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public DatabricksSqlException(string message, string? errorCode, string? sqlState, string? statementId)
        : base(message)
    {
        ErrorCode = errorCode;
        SqlState = sqlState;
        StatementId = statementId;
    }

    public string? ErrorCode { get; }

    public string? SqlState { get; }

    public string? StatementId { get; }
}
