using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Apache.Arrow.Ipc;

namespace Modernizer.Lake.Engines.Databricks;

public sealed partial class DatabricksSqlEngine
{
    private async Task<QueryResult> ReadResultAsync(JsonObject response, string statementId, CancellationToken cancellationToken)
    {
        var manifest = response["manifest"] as JsonObject
            ?? throw new DatabricksSqlException($"Databricks statement {statementId} SUCCEEDED without a result manifest.", null, null, statementId);
        var schema = manifest["schema"]?["columns"]?.AsArray() ?? [];
        var columns = schema
            .Select(c => new ResultColumn(c!["name"]!.GetValue<string>(), c["type_text"]?.GetValue<string>() ?? c["type_name"]?.GetValue<string>() ?? "STRING"))
            .ToImmutableArray();
        var types = schema
            .Select(c => DatabricksType.FromManifest(
                c!["type_name"]?.GetValue<string>(), c["type_text"]?.GetValue<string>(), c["type_precision"]?.GetValue<int>(), c["type_scale"]?.GetValue<int>()))
            .ToArray();
        var truncated = manifest["truncated"]?.GetValue<bool>() == true;
        if (truncated && _options.OnTruncated == TruncatedResultPolicy.Fail)
        {
            throw new DatabricksSqlException(
                $"Databricks statement {statementId} returned a truncated result (manifest.truncated): row_limit, byte_limit or the EXTERNAL_LINKS size cap cut it. Narrow the query, raise the limits, or set on_truncated: warn to accept it.",
                "RESULT_TRUNCATED",
                null,
                statementId);
        }

        var rows = ImmutableArray.CreateBuilder<ImmutableArray<object?>>();
        var chunk = response["result"] as JsonObject;
        while (chunk is not null)
        {
            if (chunk["data_array"] is JsonArray data)
            {
                foreach (var row in data)
                {
                    var cells = row!.AsArray();
                    rows.Add([.. cells.Select((v, i) => DatabricksValues.FromJsonCell(v, types[i]))]);
                }
            }

            var links = chunk["external_links"] as JsonArray ?? [];
            foreach (var link in links)
            {
                await ReadExternalLinkAsync(link!.AsObject(), statementId, types, rows, cancellationToken);
            }

            var next = chunk["next_chunk_internal_link"]?.GetValue<string>()
                ?? (links.Count > 0 ? links[^1]!["next_chunk_internal_link"]?.GetValue<string>() : null);
            chunk = next is null ? null : await _api.GetInternalLinkAsync(next, cancellationToken);
        }

        // A result that stops short of its manifest is an error, never a smaller table.
        if (manifest["total_row_count"]?.GetValue<long>() is long expected && expected != rows.Count)
        {
            throw new DatabricksSqlException(
                string.Create(CultureInfo.InvariantCulture, $"Databricks statement {statementId}: read {rows.Count} rows where the manifest counts {expected}."),
                null,
                null,
                statementId);
        }

        if (truncated)
        {
            LogTruncated(_logger, statementId, rows.Count);
        }

        return new QueryResult(columns, rows.ToImmutable()) { Truncated = truncated };
    }

    /// <summary>One EXTERNAL_LINKS chunk: refreshed through <c>GET .../result/chunks/{i}</c> when
    /// its <c>expiration</c> is past (or near), or when the storage refuses it anyway (clock skew;
    /// the status of an expired link differs per cloud); fetched with its <c>http_headers</c>.</summary>
    private async Task ReadExternalLinkAsync(
        JsonObject link, string statementId, DatabricksType[] types, ImmutableArray<ImmutableArray<object?>>.Builder rows, CancellationToken cancellationToken)
    {
        var index = link["chunk_index"]?.GetValue<long>()
            ?? throw new DatabricksSqlException($"Databricks statement {statementId}: an external link has no chunk_index.", null, null, statementId);
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0 || IsExpired(link))
            {
                link = await RefreshLinkAsync(statementId, index, cancellationToken);
            }

            var url = new Uri(link["external_link"]?.GetValue<string>()
                ?? throw new DatabricksSqlException($"Databricks statement {statementId}: chunk {index} has no external_link.", null, null, statementId));
            var headers = (link["http_headers"] as JsonObject ?? [])
                .Where(h => h.Value is not null)
                .ToDictionary(h => h.Key, h => h.Value!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
            using var response = await _api.GetExternalLinkAsync(url, headers, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await ReadArrowAsync(stream, types, rows, cancellationToken);
                return;
            }

            if (attempt == 0 && (int)response.StatusCode is >= 400 and < 500)
            {
                continue;
            }

            // The message names the chunk, never the URL: a pre-signed link is a credential.
            throw new DatabricksSqlException(
                string.Create(CultureInfo.InvariantCulture, $"Databricks statement {statementId}: the storage answered {(int)response.StatusCode} for result chunk {index}{(attempt > 0 ? " after the link was refreshed" : "")}."),
                null,
                null,
                statementId,
                (int)response.StatusCode);
        }
    }

    private bool IsExpired(JsonObject link) =>
        link["expiration"]?.GetValue<string>() is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var expiration)
        && expiration <= _clock.GetUtcNow() + LinkExpiryMargin;

    private async Task<JsonObject> RefreshLinkAsync(string statementId, long index, CancellationToken cancellationToken)
    {
        var fresh = await _api.GetChunkAsync(statementId, index, cancellationToken);
        return (fresh["external_links"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(l => l["chunk_index"]?.GetValue<long>() == index)
            ?? throw new DatabricksSqlException(
                string.Create(CultureInfo.InvariantCulture, $"Databricks statement {statementId}: refreshing chunk {index} returned no link for it."), null, null, statementId);
    }

    private static async Task ReadArrowAsync(Stream stream, DatabricksType[] types, ImmutableArray<ImmutableArray<object?>>.Builder rows, CancellationToken cancellationToken)
    {
        using var reader = new ArrowStreamReader(stream);
        while (await reader.ReadNextRecordBatchAsync(cancellationToken) is { } batch)
        {
            using (batch)
            {
                if (batch.ColumnCount != types.Length)
                {
                    throw new DatabricksSqlException(string.Create(CultureInfo.InvariantCulture, $"An Arrow result chunk has {batch.ColumnCount} columns where the manifest lists {types.Length}."));
                }

                for (var r = 0; r < batch.Length; r++)
                {
                    var row = new object?[batch.ColumnCount];
                    for (var c = 0; c < batch.ColumnCount; c++)
                    {
                        row[c] = DatabricksValues.FromArrow(batch.Column(c), r, types[c]);
                    }

                    rows.Add([.. row]);
                }
            }
        }
    }
}
