using System.Data.Common;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>Every failure of the Databricks engine: a statement that ended FAILED, CANCELED or
/// CLOSED (delivered as HTTP 200), any HTTP error whatever its body (JSON with a string or numeric
/// <c>error_code</c>, "CODE: message" text, an HTML page, nothing), a request lost in transit, and
/// a result that cannot be read. A <see cref="DbException"/>, as DuckDB's errors are, so callers
/// handle both engines alike. Messages never hold a credential or a pre-signed URL.</summary>
public sealed class DatabricksSqlException : DbException
{
    private readonly string? _sqlState;

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

    public DatabricksSqlException(string message, string? errorCode, string? sqlState, string? statementId, int? httpStatus = null, Exception? inner = null)
        : base(message, inner)
    {
        ApiErrorCode = errorCode;
        _sqlState = sqlState;
        StatementId = statementId;
        HttpStatus = httpStatus;
    }

    /// <summary>The API's <c>error_code</c> as text (a numeric code is kept as its digits), or the
    /// HTTP reason in upper snake case when the body carried none (as the SDKs do for HTML pages).</summary>
    public string? ApiErrorCode { get; }

    public override string? SqlState => _sqlState;

    public string? StatementId { get; }

    /// <summary>The HTTP status when the API answered with an error; null for statement failures
    /// delivered as HTTP 200 and for requests lost in transit.</summary>
    public int? HttpStatus { get; }
}
