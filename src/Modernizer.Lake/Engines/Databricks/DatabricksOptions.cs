using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Modernizer.Lake.Engines.Databricks;

public enum ResultDisposition
{
    /// <summary>Rows come in the response as JSON_ARRAY. The API fails a statement whose result
    /// exceeds 25 MiB in this mode.</summary>
    Inline,

    /// <summary>Rows come as Arrow IPC streams behind pre-signed URLs (large results, up to 100 GiB).</summary>
    ExternalLinks,
}

/// <summary>What to do when the manifest says <c>truncated: true</c> (a row or byte limit cut the result).</summary>
public enum TruncatedResultPolicy
{
    /// <summary>Raise <see cref="DatabricksSqlException"/>: a cut result never passes for a whole one.</summary>
    Fail,

    /// <summary>Return the rows with <see cref="QueryResult.Truncated"/> set, and log a warning.</summary>
    Warn,
}

/// <summary>Where and how to run statements on a Databricks SQL warehouse. Secrets are never part
/// of configuration: they are read from the environment variables these options name.</summary>
public sealed record DatabricksOptions
{
    /// <summary>The documented bounds of <c>wait_timeout</c>: 0 s (asynchronous) or 5 to 50 s.</summary>
    public static readonly TimeSpan MinWaitTimeout = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MaxWaitTimeout = TimeSpan.FromSeconds(50);

    /// <summary>Workspace URL, e.g. https://adb-1234567890123456.7.azuredatabricks.net (configuration key engine:databricks:host).</summary>
    public required Uri Host { get; init; }

    /// <summary>SQL warehouse id (engine:databricks:warehouse_id).</summary>
    public required string WarehouseId { get; init; }

    public string? Catalog { get; init; }

    public string? Schema { get; init; }

    /// <summary>How to authenticate; null picks a personal access token when
    /// <see cref="TokenVariable"/> is set, else OAuth M2M when both client variables are set.</summary>
    public DatabricksAuth? Auth { get; init; }

    public string TokenVariable { get; init; } = "DATABRICKS_TOKEN";

    public string ClientIdVariable { get; init; } = "DATABRICKS_CLIENT_ID";

    public string ClientSecretVariable { get; init; } = "DATABRICKS_CLIENT_SECRET";

    public ResultDisposition Disposition { get; init; } = ResultDisposition.Inline;

    /// <summary>How long the submit call waits before returning a statement to poll: exactly 0 s,
    /// or a whole number of seconds from 5 to 50 (the API's bounds).</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sent as <c>row_limit</c> when set: the warehouse cuts the result and marks it truncated.</summary>
    public long? RowLimit { get; init; }

    /// <summary>Sent as <c>byte_limit</c> when set.</summary>
    public long? ByteLimit { get; init; }

    public TruncatedResultPolicy OnTruncated { get; init; } = TruncatedResultPolicy.Fail;

    public int MaxRetries { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value the API would reject.</summary>
    public void Validate()
    {
        if (Host is null || !Host.IsAbsoluteUri)
        {
            throw new ArgumentException("The Databricks host must be an absolute URL.", nameof(Host));
        }

        if (string.IsNullOrWhiteSpace(WarehouseId))
        {
            throw new ArgumentException("The Databricks warehouse id is missing.", nameof(WarehouseId));
        }

        var wholeSeconds = WaitTimeout.Ticks % TimeSpan.TicksPerSecond == 0;
        if (!wholeSeconds || (WaitTimeout != TimeSpan.Zero && (WaitTimeout < MinWaitTimeout || WaitTimeout > MaxWaitTimeout)))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"wait_timeout must be 0s or a whole number of seconds from 5s to 50s; it is {WaitTimeout.TotalSeconds}s."),
                nameof(WaitTimeout));
        }

        if (RowLimit is <= 0)
        {
            throw new ArgumentException("row_limit must be a positive number of rows.", nameof(RowLimit));
        }

        if (ByteLimit is <= 0)
        {
            throw new ArgumentException("byte_limit must be a positive number of bytes.", nameof(ByteLimit));
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("The poll interval must be positive.", nameof(PollInterval));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries);
    }

    /// <summary>The <c>wait_timeout</c> field as the API spells it ("10s").</summary>
    internal string WaitTimeoutText => ((long)WaitTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
}

/// <summary>Reads <see cref="DatabricksOptions"/> from configuration (the <c>engine:databricks</c>
/// section of modernize.yaml, or environment variables such as
/// <c>MODERNIZE_ENGINE__DATABRICKS__HOST</c>): host, warehouse_id, catalog, schema, disposition
/// (inline | external_links), wait_timeout ("10s"), row_limit, byte_limit, on_truncated
/// (fail | warn), auth (pat | oauth_m2m), token_variable, client_id_variable,
/// client_secret_variable. Secrets themselves are never configuration.</summary>
public static class DatabricksConfiguration
{
    public static DatabricksOptions Read(IConfiguration section)
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
        var onTruncated = (section["on_truncated"] ?? "fail").ToUpperInvariant() switch
        {
            "FAIL" => TruncatedResultPolicy.Fail,
            "WARN" => TruncatedResultPolicy.Warn,
            var other => throw new InvalidOperationException($"engine.databricks.on_truncated '{other}' is not fail or warn."),
        };
        DatabricksAuth? auth = section["auth"]?.ToUpperInvariant() switch
        {
            null => null,
            "PAT" => DatabricksAuth.PersonalAccessToken,
            "OAUTH_M2M" => DatabricksAuth.OAuthMachineToMachine,
            var other => throw new InvalidOperationException($"engine.databricks.auth '{other}' is not pat or oauth_m2m."),
        };
        var defaults = new DatabricksOptions { Host = uri, WarehouseId = warehouse };
        var options = defaults with
        {
            Catalog = section["catalog"],
            Schema = section["schema"],
            Disposition = disposition,
            Auth = auth,
            OnTruncated = onTruncated,
            WaitTimeout = section["wait_timeout"] is { } wait ? ParseWaitTimeout(wait) : defaults.WaitTimeout,
            RowLimit = Long(section, "row_limit"),
            ByteLimit = Long(section, "byte_limit"),
            TokenVariable = section["token_variable"] ?? defaults.TokenVariable,
            ClientIdVariable = section["client_id_variable"] ?? defaults.ClientIdVariable,
            ClientSecretVariable = section["client_secret_variable"] ?? defaults.ClientSecretVariable,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException("engine.databricks: " + e.Message.Split(" (Parameter", 2)[0], e);
        }

        return options;
    }

    private static TimeSpan ParseWaitTimeout(string text)
    {
        var digits = text.Trim().EndsWith('s') ? text.Trim()[..^1] : text.Trim();
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"engine.databricks.wait_timeout '{text}' is not a number of seconds such as 10s.");
    }

    private static long? Long(IConfiguration section, string key) => section[key] is { } text
        ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"engine.databricks.{key} '{text}' is not a whole number.")
        : null;
}
