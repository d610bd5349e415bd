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

/// <summary>Reads <see cref="DatabricksOptions"/> from configuration (the <c>engine:databricks</c>
/// section of modernize.yaml, or environment variables such as
/// <c>MODERNIZE_ENGINE__DATABRICKS__HOST</c>): host, warehouse_id, catalog, schema, disposition
/// (inline | external_links), token_variable. The token itself is never configuration.</summary>
public static class DatabricksConfiguration
{
    public static DatabricksOptions Read(Microsoft.Extensions.Configuration.IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var host = section["host"];
        if (string.IsNullOrWhiteSpace(host) || !Uri.TryCreate(host, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && uri.Host != "127.0.0.1" && uri.Host != "localhost")
        {
            throw new InvalidOperationException($"engine.databricks.host must be the workspace's https URL; it is '{host}'.");
        }

        var warehouse = section["warehouse_id"];
        if (string.IsNullOrWhiteSpace(warehouse))
        {
            throw new InvalidOperationException("engine.databricks.warehouse_id is missing (SQL Warehouses > Connection details > HTTP path /sql/1.0/warehouses/<id>).");
        }

        var disposition = (section["disposition"] ?? "inline").ToUpperInvariant() switch
        {
            "INLINE" => ResultDisposition.Inline,
            "EXTERNAL_LINKS" => ResultDisposition.ExternalLinks,
            var other => throw new InvalidOperationException($"engine.databricks.disposition '{other}' is not inline or external_links."),
        };
        return new DatabricksOptions
        {
            Host = uri,
            WarehouseId = warehouse,
            Catalog = section["catalog"],
            Schema = section["schema"],
            Disposition = disposition,
            TokenVariable = section["token_variable"] ?? "DATABRICKS_TOKEN",
        };
    }
}
