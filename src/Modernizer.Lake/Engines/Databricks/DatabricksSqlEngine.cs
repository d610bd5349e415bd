using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Polly;
using Polly.Retry;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>Runs Spark SQL on a Databricks SQL warehouse through the Statement Execution API 2.0
/// (issue item 3): submit with <c>wait_timeout</c> and <c>on_wait_timeout=CONTINUE</c>, poll,
/// read INLINE JSON_ARRAY chunks or EXTERNAL_LINKS ARROW_STREAM chunks (pre-signed URLs fetched
/// without the Authorization header), cancel on cancellation, and treat state FAILED (HTTP 200) as
/// an error. 429 and 503 are retried with exponential backoff honouring Retry-After.</summary>
public sealed class DatabricksSqlEngine : IQueryEngine
{
    private readonly HttpClient _http;
    private readonly DatabricksOptions _options;
    private readonly string _token;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    private DatabricksSqlEngine(HttpClient http, DatabricksOptions options, string token)
    {
        _http = http;
        _options = options;
        _token = token;
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .HandleResult(r => r.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                    .Handle<HttpRequestException>(),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
            })
            .Build();
    }

    public string Name => "databricks";

    public string Version => "sql-statement-execution-2.0";

    public SqlDialect Dialect => SqlDialect.SparkSql;

    /// <summary>Creates the engine; the token comes from the environment variable the options name.</summary>
    public static DatabricksSqlEngine Create(DatabricksOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var token = Environment.GetEnvironmentVariable(options.TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new InvalidOperationException($"The Databricks engine needs a token in the environment variable {options.TokenVariable}.");
        }

        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = TimeSpan.FromMinutes(5);
        return new DatabricksSqlEngine(http, options, token);
    }

    public async Task<QueryResult> QueryAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        var response = await SubmitAsync(sql, parameters, cancellationToken);
        var statementId = response["statement_id"]?.GetValue<string>() ?? throw new DatabricksSqlException("The warehouse returned no statement_id.");
        try
        {
            while (State(response) is "PENDING" or "RUNNING")
            {
                await Task.Delay(_options.PollInterval, cancellationToken);
                response = await SendJsonAsync(HttpMethod.Get, $"api/2.0/sql/statements/{Uri.EscapeDataString(statementId)}", null, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await CancelAsync(statementId);
            throw;
        }

        var state = State(response);
        if (state != "SUCCEEDED")
        {
            var error = response["status"]?["error"];
            var message = error?["message"]?.GetValue<string>() ?? $"the statement ended in state {state}";
            throw new DatabricksSqlException(
                $"Databricks statement {statementId} {state}: {message}",
                error?["error_code"]?.GetValue<string>(),
                response["status"]?["sql_state"]?.GetValue<string>(),
                statementId);
        }

        var columns = (response["manifest"]?["schema"]?["columns"]?.AsArray() ?? [])
            .Select(c => new ResultColumn(c!["name"]!.GetValue<string>(), c["type_text"]?.GetValue<string>() ?? c["type_name"]?.GetValue<string>() ?? "STRING"))
            .ToImmutableArray();
        var typeNames = (response["manifest"]?["schema"]?["columns"]?.AsArray() ?? []).Select(c => c!["type_name"]?.GetValue<string>() ?? "STRING").ToArray();
        var rows = ImmutableArray.CreateBuilder<ImmutableArray<object?>>();
        var chunk = response["result"];
        while (chunk is not null)
        {
            if (chunk["data_array"] is JsonArray data)
            {
                foreach (var row in data)
                {
                    rows.Add([.. row!.AsArray().Select((v, i) => ConvertJson(v, typeNames[i]))]);
                }
            }

            if (chunk["external_links"] is JsonArray links)
            {
                foreach (var link in links)
                {
                    await ReadArrowAsync(new Uri(link!["external_link"]!.GetValue<string>()), rows, cancellationToken);
                }
            }

            var next = chunk["next_chunk_internal_link"]?.GetValue<string>()
                ?? (chunk["external_links"] is JsonArray l && l.Count > 0 ? l[^1]!["next_chunk_internal_link"]?.GetValue<string>() : null);
            chunk = next is null ? null : await SendJsonAsync(HttpMethod.Get, next.TrimStart('/'), null, cancellationToken);
        }

        return new QueryResult(columns, rows.ToImmutable());
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

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<JsonObject> SubmitAsync(string sql, IReadOnlyList<QueryParameter>? parameters, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["warehouse_id"] = _options.WarehouseId,
            ["statement"] = sql,
            ["wait_timeout"] = ((int)_options.WaitTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            ["on_wait_timeout"] = "CONTINUE",
            ["disposition"] = _options.Disposition == ResultDisposition.Inline ? "INLINE" : "EXTERNAL_LINKS",
            ["format"] = _options.Disposition == ResultDisposition.Inline ? "JSON_ARRAY" : "ARROW_STREAM",
        };
        if (_options.Catalog is { } catalog)
        {
            body["catalog"] = catalog;
        }

        if (_options.Schema is { } schema)
        {
            body["schema"] = schema;
        }

        if (parameters is { Count: > 0 })
        {
            body["parameters"] = new JsonArray([.. parameters.Select(Parameter)]);
        }

        return SendJsonAsync(HttpMethod.Post, "api/2.0/sql/statements", body, cancellationToken);
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

    private async Task CancelAsync(string statementId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await SendJsonAsync(HttpMethod.Post, $"api/2.0/sql/statements/{Uri.EscapeDataString(statementId)}/cancel", new JsonObject(), timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or DatabricksSqlException or OperationCanceledException)
        {
            // Best effort: the caller already gave up; the warehouse times the statement out itself.
        }
    }

    private async Task<JsonObject> SendJsonAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var uri = new Uri(_options.Host, path);
        using var response = await _retry.ExecuteAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                if (body is not null)
                {
                    request.Content = JsonContent.Create(body);
                }

                return await _http.SendAsync(request, token);
            },
            cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            string? code = null;
            var message = text;
            try
            {
                var error = JsonNode.Parse(text);
                code = error?["error_code"]?.GetValue<string>();
                message = error?["message"]?.GetValue<string>() ?? text;
            }
            catch (JsonException)
            {
            }

            throw new DatabricksSqlException($"Databricks API {method} {path} returned {(int)response.StatusCode}: {message}", code, null, null);
        }

        return JsonNode.Parse(text) as JsonObject ?? throw new DatabricksSqlException($"Databricks API {method} {path} returned no JSON object.");
    }

    /// <summary>Pre-signed URLs carry their own credential: no Authorization header is sent.</summary>
    private async Task ReadArrowAsync(Uri link, ImmutableArray<ImmutableArray<object?>>.Builder rows, CancellationToken cancellationToken)
    {
        using var response = await _retry.ExecuteAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, link);
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            },
            cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new DatabricksSqlException($"A result chunk link returned {(int)response.StatusCode} (expired link?).");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new ArrowStreamReader(stream);
        while (await reader.ReadNextRecordBatchAsync(cancellationToken) is { } batch)
        {
            using (batch)
            {
                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new object?[batch.ColumnCount];
                    for (var c = 0; c < batch.ColumnCount; c++)
                    {
                        row[c] = ArrowValue(batch.Column(c), r);
                    }

                    rows.Add([.. row]);
                }
            }
        }
    }

    private static object? ArrowValue(IArrowArray array, int index) => array.IsNull(index) ? null : array switch
    {
        BooleanArray a => a.GetValue(index),
        Int8Array a => a.GetValue(index),
        Int16Array a => a.GetValue(index),
        Int32Array a => a.GetValue(index),
        Int64Array a => a.GetValue(index),
        FloatArray a => a.GetValue(index),
        DoubleArray a => a.GetValue(index),
        Decimal128Array a => a.GetValue(index),
        StringArray a => a.GetString(index),
        Date32Array a => a.GetDateOnly(index),
        TimestampArray a => a.GetTimestamp(index),
        BinaryArray a => a.GetBytes(index).ToArray(),
        _ => throw new DatabricksSqlException($"Arrow type {array.Data.DataType.Name} is not read by this engine."),
    };

    /// <summary>JSON_ARRAY cells are strings (or null); typed by the manifest's type_name.</summary>
    private static object? ConvertJson(JsonNode? cell, string typeName)
    {
        if (cell is null)
        {
            return null;
        }

        var text = cell.GetValueKind() == JsonValueKind.String ? cell.GetValue<string>() : cell.ToJsonString();
        var inv = CultureInfo.InvariantCulture;
        return typeName switch
        {
            "BOOLEAN" => bool.Parse(text),
            "BYTE" => sbyte.Parse(text, inv),
            "SHORT" => short.Parse(text, inv),
            "INT" => int.Parse(text, inv),
            "LONG" => long.Parse(text, inv),
            "FLOAT" => float.Parse(text, inv),
            "DOUBLE" => double.Parse(text, inv),
            "DECIMAL" => decimal.Parse(text, NumberStyles.Float, inv),
            "DATE" => DateOnly.Parse(text, inv),
            "TIMESTAMP" => DateTimeOffset.Parse(text, inv, DateTimeStyles.AssumeUniversal),
            "TIMESTAMP_NTZ" => DateTime.Parse(text, inv),
            _ => text,
        };
    }

    private static string? State(JsonObject response) => response["status"]?["state"]?.GetValue<string>();
}
