using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>Runs Spark SQL on a Databricks SQL warehouse through the Statement Execution API 2.0:
/// submit with <c>wait_timeout</c> and <c>on_wait_timeout=CONTINUE</c>, poll, read INLINE
/// JSON_ARRAY chunks or EXTERNAL_LINKS ARROW_STREAM chunks, cancel on cancellation (also when it
/// arrives while the submit is still in flight), and treat FAILED, CANCELED and CLOSED (HTTP 200)
/// as errors. See docs/data-plane.md for the wire contract and the sources it was checked against.</summary>
public sealed partial class DatabricksSqlEngine : IQueryEngine
{
    /// <summary>A link whose expiration is this close is refreshed before it is fetched.</summary>
    private static readonly TimeSpan LinkExpiryMargin = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(30);

    private readonly DatabricksApi _api;
    private readonly DatabricksOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly IDisposable? _ownedCredentials;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _cleanupLock = new();
    private readonly List<Task> _cleanups = [];

    private DatabricksSqlEngine(DatabricksApi api, DatabricksOptions options, ILogger logger, TimeProvider clock, IDisposable? ownedCredentials)
    {
        _api = api;
        _options = options;
        _logger = logger;
        _clock = clock;
        _ownedCredentials = ownedCredentials;
    }

    public string Name => "databricks";

    public string Version => "sql-statement-execution-2.0";

    public SqlDialect Dialect => SqlDialect.SparkSql;

    /// <summary>Creates the engine after validating the options (<c>wait_timeout</c> 0 s or 5-50 s,
    /// positive limits). Credentials come from the environment variables the options name: a
    /// personal access token, or a service principal's client id and secret for OAuth M2M.</summary>
    public static DatabricksSqlEngine Create(DatabricksOptions options, HttpMessageHandler? handler = null, ILogger? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        clock ??= TimeProvider.System;
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromMinutes(5);
        IDatabricksCredentials credentials;
        try
        {
            credentials = Credentials(options, http, clock);
        }
        catch
        {
            http.Dispose();
            throw;
        }

        var api = new DatabricksApi(http, options.Host, credentials, options.MaxRetries, options.RetryBaseDelay);
        return new DatabricksSqlEngine(api, options, logger ?? NullLogger.Instance, clock, credentials as IDisposable);
    }

    private static IDatabricksCredentials Credentials(DatabricksOptions options, HttpClient http, TimeProvider clock)
    {
        var token = Environment.GetEnvironmentVariable(options.TokenVariable);
        var clientId = Environment.GetEnvironmentVariable(options.ClientIdVariable);
        var clientSecret = Environment.GetEnvironmentVariable(options.ClientSecretVariable);
        var hasClient = !string.IsNullOrWhiteSpace(clientId) && !string.IsNullOrWhiteSpace(clientSecret);
        var auth = options.Auth ?? (string.IsNullOrWhiteSpace(token) && hasClient ? DatabricksAuth.OAuthMachineToMachine : DatabricksAuth.PersonalAccessToken);
        if (auth == DatabricksAuth.OAuthMachineToMachine)
        {
            return hasClient
                ? new OAuthMachineToMachine(http, options.Host, clientId!, clientSecret!, clock)
                : throw new InvalidOperationException($"OAuth M2M needs a service principal's client id and secret in the environment variables {options.ClientIdVariable} and {options.ClientSecretVariable}.");
        }

        return string.IsNullOrWhiteSpace(token)
            ? throw new InvalidOperationException(options.Auth is null
                ? $"The Databricks engine needs a token in the environment variable {options.TokenVariable}, or a service principal's {options.ClientIdVariable} and {options.ClientSecretVariable} for OAuth M2M."
                : $"The Databricks engine needs a token in the environment variable {options.TokenVariable}.")
            : new PersonalAccessToken(token);
    }

    public async Task<QueryResult> QueryAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        var response = await SubmitAsync(sql, parameters, cancellationToken);
        var statementId = StatementId(response);
        var terminal = false;
        try
        {
            while (State(response) is "PENDING" or "RUNNING")
            {
                await Task.Delay(_options.PollInterval, cancellationToken);
                response = await _api.GetStatementAsync(statementId, cancellationToken);
            }

            terminal = true;
            EnsureSucceeded(response, statementId);
            return await ReadResultAsync(response, statementId, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !terminal)
        {
            await CancelStatementAsync(statementId);
            throw;
        }
    }

    public async Task<long> ExecuteAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        // DML answers with a num_affected_rows column; other statements count their result rows.
        var result = await QueryAsync(sql, parameters, cancellationToken);
        for (var i = 0; i < result.Columns.Length; i++)
        {
            if (result.Columns[i].Name == "num_affected_rows" && result.Rows.Length > 0)
            {
                return Convert.ToInt64(result.Rows[0][i], CultureInfo.InvariantCulture);
            }
        }

        return result.Rows.Length;
    }

    /// <summary>Waits (bounded) for the cancels of statements whose submit was still in flight when
    /// their caller gave up, then releases the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (_cleanupLock)
        {
            pending = [.. _cleanups];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(CancelTimeout);
        }
        catch (TimeoutException)
        {
            // The warehouse times abandoned statements out itself.
        }

        await _lifetime.CancelAsync();
        _lifetime.Dispose();
        _api.Dispose();
        _ownedCredentials?.Dispose();
    }

    /// <summary>The submit runs on the engine's lifetime, not the caller's token: aborting the
    /// request would not stop the statement, and its id would be lost. If the caller cancels
    /// meanwhile, it gets <see cref="OperationCanceledException"/> at once and the statement is
    /// cancelled on the warehouse as soon as its id arrives.</summary>
    private async Task<JsonObject> SubmitAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var submit = _api.ExecuteStatementAsync(SubmitBody(sql, parameters), _lifetime.Token);
        try
        {
            return await submit.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_cleanupLock)
            {
                _cleanups.RemoveAll(t => t.IsCompleted);
                _cleanups.Add(CancelWhenSubmittedAsync(submit));
            }

            throw;
        }
    }

    private async Task CancelWhenSubmittedAsync(Task<JsonObject> submit)
    {
        JsonObject response;
        try
        {
            response = await submit;
        }
        catch (Exception e) when (e is DatabricksSqlException or OperationCanceledException)
        {
            return; // Nothing was started, or the submit itself failed.
        }

        if (State(response) is "PENDING" or "RUNNING" && response["statement_id"]?.GetValue<string>() is { } id)
        {
            await CancelStatementAsync(id);
        }
    }

    private JsonObject SubmitBody(string sql, IReadOnlyList<QueryParameter>? parameters)
    {
        var inline = _options.Disposition == ResultDisposition.Inline;
        var body = new JsonObject
        {
            ["warehouse_id"] = _options.WarehouseId,
            ["statement"] = sql,
            ["wait_timeout"] = _options.WaitTimeoutText,
            ["on_wait_timeout"] = "CONTINUE",
            ["disposition"] = inline ? "INLINE" : "EXTERNAL_LINKS",
            ["format"] = inline ? "JSON_ARRAY" : "ARROW_STREAM",
        };
        if (_options.Catalog is { } catalog)
        {
            body["catalog"] = catalog;
        }

        if (_options.Schema is { } schema)
        {
            body["schema"] = schema;
        }

        if (_options.RowLimit is { } rowLimit)
        {
            body["row_limit"] = rowLimit;
        }

        if (_options.ByteLimit is { } byteLimit)
        {
            body["byte_limit"] = byteLimit;
        }

        if (parameters is { Count: > 0 })
        {
            body["parameters"] = new JsonArray([.. parameters.Select(Parameter)]);
        }

        return body;
    }

    /// <summary>Statement parameters travel as strings with a SQL type; a missing value is NULL.</summary>
    private static JsonObject Parameter(QueryParameter parameter)
    {
        var (type, text) = parameter.Value switch
        {
            null => ("STRING", null),
            bool b => ("BOOLEAN", b ? "true" : "false"),
            int or short or byte => ("INT", Convert.ToString(parameter.Value, CultureInfo.InvariantCulture)),
            long l => ("BIGINT", l.ToString(CultureInfo.InvariantCulture)),
            decimal d => ("DECIMAL(38," + d.Scale.ToString(CultureInfo.InvariantCulture) + ")", d.ToString(CultureInfo.InvariantCulture)),
            double or float => ("DOUBLE", Convert.ToDouble(parameter.Value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)),
            DateOnly date => ("DATE", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            DateTimeOffset t => ("TIMESTAMP", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)),
            DateTime t => ("TIMESTAMP_NTZ", t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
            _ => ("STRING", Convert.ToString(parameter.Value, CultureInfo.InvariantCulture)),
        };
        var node = new JsonObject { ["name"] = parameter.Name, ["type"] = type };
        if (text is not null)
        {
            node["value"] = text;
        }

        return node;
    }

    private async Task CancelStatementAsync(string statementId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(CancelTimeout);
            await _api.CancelAsync(statementId, timeout.Token);
        }
        catch (Exception e) when (e is DatabricksSqlException or OperationCanceledException)
        {
            // Best effort: the caller already gave up; the warehouse times the statement out itself.
        }
    }

    private static void EnsureSucceeded(JsonObject response, string statementId)
    {
        var state = State(response);
        var error = response["status"]?["error"];
        var code = error?["error_code"] is JsonValue c ? c.ToString() : null;
        var sqlState = response["status"]?["sql_state"]?.GetValue<string>();
        switch (state)
        {
            case "SUCCEEDED":
                return;
            case "FAILED":
                var message = error?["message"]?.GetValue<string>() ?? "no message";
                throw new DatabricksSqlException($"Databricks statement {statementId} FAILED: {message}", code, sqlState, statementId);
            case "CANCELED":
                throw new DatabricksSqlException($"Databricks statement {statementId} was CANCELED on the warehouse (an explicit cancel or a warehouse timeout).", code, sqlState, statementId);
            case "CLOSED":
                throw new DatabricksSqlException($"Databricks statement {statementId} is CLOSED: it ran, but its result is no longer available (results are kept one hour).", code, sqlState, statementId);
            default:
                throw new DatabricksSqlException($"Databricks statement {statementId} is in an unknown state '{state}'.", code, sqlState, statementId);
        }
    }

    private static string StatementId(JsonObject response) =>
        response["statement_id"]?.GetValue<string>() ?? throw new DatabricksSqlException("The warehouse returned no statement_id.");

    private static string? State(JsonObject response) => response["status"]?["state"]?.GetValue<string>();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Databricks statement {StatementId} returned a truncated result ({Rows} rows): row_limit, byte_limit or the EXTERNAL_LINKS size cap cut it.")]
    private static partial void LogTruncated(ILogger logger, string statementId, int rows);
}
