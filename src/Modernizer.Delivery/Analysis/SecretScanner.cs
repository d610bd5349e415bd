using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Modernizer.Delivery.Analysis;

/// <summary>Scans every file of a rewrite or bundle for secrets before anything is committed or pushed
/// (R4.2): provider token formats (Databricks, GitHub, AWS, Slack, Google, Azure storage), private
/// keys, credentials in URLs, and secret-named assignments with a literal value. A finding shows
/// where, never the secret itself.</summary>
public static partial class SecretScanner
{
    public const string Tool = "modernizer-secrets";

    private static readonly (string Rule, string What, Regex Pattern)[] Patterns =
    [
        ("SEC01", "a Databricks personal access token", DatabricksToken()),
        ("SEC02", "a GitHub token", GitHubToken()),
        ("SEC03", "an AWS access key id", AwsKey()),
        ("SEC04", "a private key", PrivateKey()),
        ("SEC05", "a Slack token", SlackToken()),
        ("SEC06", "a Google API key", GoogleKey()),
        ("SEC07", "an Azure storage account key or SAS signature", AzureKey()),
        ("SEC08", "credentials in a URL", UrlCredentials()),
        ("SEC09", "a secret-named setting with a literal value", NamedSecret()),
    ];

    /// <summary>Every text file under <paramref name="folder"/> (recursively; hidden temp files skipped).</summary>
    public static async Task<ImmutableArray<Finding>> ScanFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var findings = ImmutableArray.CreateBuilder<Finding>();
        if (!Directory.Exists(folder))
        {
            return [];
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            if (relative.Split('/').Any(p => p.StartsWith(".git", StringComparison.Ordinal) && p != ".gitignore") || IsBinary(file))
            {
                continue;
            }

            findings.AddRange(Scan(relative, await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)));
        }

        return findings.ToImmutable();
    }

    public static ImmutableArray<Finding> Scan(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var findings = ImmutableArray.CreateBuilder<Finding>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            foreach (var (rule, what, pattern) in Patterns)
            {
                foreach (Match match in pattern.Matches(lines[n]))
                {
                    if (rule == "SEC09" && IsReference(match.Groups["value"].Value))
                    {
                        continue;
                    }

                    findings.Add(new Finding(Tool, rule, Severity.Error, file, n + 1,
                        $"{what} ({Redact(match.Value)}): secrets come from the environment or a secret scope, never from the code"));
                }
            }
        }

        return findings.ToImmutable();
    }

    /// <summary>Enough to find it, not enough to use it.</summary>
    private static string Redact(string value)
    {
        var trimmed = value.Trim();
        return trimmed.Length <= 8 ? "****" : trimmed[..4] + new string('*', Math.Min(12, trimmed.Length - 4));
    }

    /// <summary>A value that names where the secret lives instead of holding it.</summary>
    private static bool IsReference(string value)
    {
        var v = value.Trim().Trim('\'', '"');
        return v.Length < 8
            || v.StartsWith("${", StringComparison.Ordinal)
            || v.StartsWith("{{", StringComparison.Ordinal)
            || v.StartsWith(':')
            || v.Contains("secret(", StringComparison.OrdinalIgnoreCase)
            || v.Contains("secrets.get", StringComparison.OrdinalIgnoreCase)
            || v.Contains("getenv", StringComparison.OrdinalIgnoreCase)
            || v.Contains("environ", StringComparison.OrdinalIgnoreCase)
            || v.All(c => c == '*' || c == 'x' || c == 'X');
    }

    private static bool IsBinary(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> head = stackalloc byte[512];
        var read = stream.Read(head);
        return head[..read].Contains((byte)0);
    }

    [GeneratedRegex(@"\bdapi[0-9a-f]{32}(-\d)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex DatabricksToken();

    [GeneratedRegex(@"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\b(AKIA|ASIA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsKey();

    [GeneratedRegex(@"-----BEGIN (RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\bxox[abprs]-[A-Za-z0-9-]{10,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"\bAIza[0-9A-Za-z_\-]{35}\b", RegexOptions.CultureInvariant)]
    private static partial Regex GoogleKey();

    [GeneratedRegex(@"(AccountKey=[A-Za-z0-9+/=]{40,}|[?&]sig=[A-Za-z0-9%+/=]{20,})", RegexOptions.CultureInvariant)]
    private static partial Regex AzureKey();

    [GeneratedRegex(@"\b[a-z][a-z0-9+.\-]*://[^\s:/@'""]+:[^\s@/'""]{3,}@", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"(?i)\b[\w.]*(password|passwd|pwd|secret|api_?key|access_?key|auth_?token|client_secret|private_?key|token)\b[\w.]*\s*(=|:|=>)\s*(?<value>'[^']*'|""[^""]*"")", RegexOptions.CultureInvariant)]
    private static partial Regex NamedSecret();
}
