using System.Globalization;

namespace Modernizer.Domain.Workspace;

/// <summary>The workspace layout (docs/architecture.md, "The workspace"), in one place. Every path
/// built from data — a job id, a table name — goes through <see cref="Under"/>: it is joined, made
/// absolute and refused unless it stays inside its root. Job ids become folder names only through
/// <see cref="JobFolder"/>.</summary>
public sealed record WorkspacePaths(string Root)
{
    public string ConfigFile => Path.Combine(Root, "modernize.yaml");
    public string Jobs => Path.Combine(Root, "jobs");
    public string Catalog => Path.Combine(Root, "catalog");
    public string Finops => Path.Combine(Root, "finops");
    public string Lake => Path.Combine(Root, "lake");
    public string Legacy => Path.Combine(Root, "legacy");

    public string Output => Path.Combine(Root, ".modernize");
    public string StateDb => Path.Combine(Output, "state.db");
    public string DecisionsJsonl => Path.Combine(Output, "decisions.jsonl");
    public string EscalationsJson => Path.Combine(Output, "escalations.json");
    public string Portfolio => Path.Combine(Output, "portfolio");
    public string InventoryJson => Path.Combine(Portfolio, "inventory.json");
    public string FinopsJson => Path.Combine(Portfolio, "finops.json");
    public string BacklogJson => Path.Combine(Portfolio, "backlog.json");

    /// <summary>The one folder name of a job, in <c>jobs/</c> and in <c>.modernize/jobs/</c>.</summary>
    public static string JobFolder(JobId job) => SafeFolderName.Escape(job.Value);

    /// <summary>The job's legacy code: <c>jobs/&lt;folder&gt;/</c>, always inside <c>jobs/</c>.</summary>
    public string JobCode(JobId job) => Under(Jobs, JobFolder(job));

    /// <summary>The job's artifacts: <c>.modernize/jobs/&lt;folder&gt;/</c>, always inside <c>.modernize/</c>.</summary>
    public string JobOutput(JobId job) => Under(Output, "jobs", JobFolder(job));

    /// <summary>A file of the job's artifacts, as artifact references and evidence name it (relative
    /// to <c>.modernize/</c>, forward slashes): <c>jobs/&lt;folder&gt;/&lt;name&gt;</c>.</summary>
    public static string JobArtifactReference(JobId job, string name) => $"jobs/{JobFolder(job)}/{name}";

    /// <summary>A path inside <c>.modernize/</c>; throws <see cref="UnsafePathException"/> otherwise.</summary>
    public string InOutput(params string[] parts) => Under(Output, parts);

    /// <summary>Joins <paramref name="parts"/> under <paramref name="root"/> and returns the absolute path;
    /// throws <see cref="UnsafePathException"/> when the result is not strictly inside the root (a part
    /// that is absolute, or climbs out with <c>..</c>, or holds a NUL).</summary>
    public static string Under(string root, params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(parts);
        var joined = string.Join('/', parts);
        if (parts.Length == 0 || parts.Any(p => string.IsNullOrEmpty(p) || p.Contains('\0', StringComparison.Ordinal)))
        {
            throw new UnsafePathException(root, joined, "an empty part or a NUL byte");
        }

        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var full = Path.GetFullPath(Path.Combine([fullRoot, .. parts]));
        if (!full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new UnsafePathException(root, joined, $"it resolves to {full}");
        }

        return full;
    }
}

/// <summary>A path built from data that would leave the folder it belongs in. Never caught to go on:
/// the work that asked for it stops with this message.</summary>
public sealed class UnsafePathException : InvalidOperationException
{
    public UnsafePathException(string root, string part, string reason)
        : base($"refused the path '{Printable(part)}' under {root}: {reason}, outside that folder")
    {
    }

    public UnsafePathException()
    {
    }

    public UnsafePathException(string message)
        : base(message)
    {
    }

    public UnsafePathException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private static string Printable(string text) =>
        string.Concat(text.Take(200).Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}") : c.ToString()));
}
