using System.Collections.Immutable;

namespace Modernizer.Code.Analysis;

/// <summary>What <c>modernize analyze</c> was pointed at and how it was read: one file, one job
/// (a folder with code, its subfolders included), or many jobs (a workspace's <c>jobs/</c>
/// folder of job folders, or a folder of job folders). <see cref="Mode"/> says which, and
/// <see cref="Notes"/> what was left out and why.</summary>
public sealed record JobDiscovery(ImmutableArray<JobSource> Jobs, string Mode, ImmutableArray<string> Notes)
{
    public static readonly string[] CodeExtensions = [".py", ".sql", ".ipynb"];

    /// <summary>Files that make a folder one project (its files import each other).</summary>
    private static readonly string[] ProjectMarkers = ["setup.py", "pyproject.toml", "setup.cfg", "Pipfile", "requirements.txt", "job.yaml", "databricks.yml"];

    public static JobDiscovery Discover(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return new([new JobSource(Path.GetFileNameWithoutExtension(full), full)], "file", []);
        }

        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"No file or directory at '{path}'.", path);
        }

        var jobsFolder = Path.Combine(full, "jobs");
        var jobFolders = Directory.Exists(jobsFolder)
            ? Directory.EnumerateDirectories(jobsFolder).Order(StringComparer.Ordinal).Where(d => HasCode(d, SearchOption.AllDirectories)).ToArray()
            : [];
        var looseInJobs = Directory.Exists(jobsFolder) && HasCode(jobsFolder, SearchOption.TopDirectoryOnly);
        var isWorkspace = File.Exists(Path.Combine(full, "modernize.yaml")) || (jobFolders.Length > 0 && !looseInJobs && !HasCode(full, SearchOption.TopDirectoryOnly) && !IsProject(full));
        if (isWorkspace && jobFolders.Length > 0)
        {
            var outside = CodeFiles(full).Count(f => !f.StartsWith(jobsFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal));
            ImmutableArray<string> notes = outside > 0
                ? [$"{outside} code file(s) outside jobs/ were not analysed; point analyze at a folder to analyse it as one job"]
                : [];
            return new([.. jobFolders.Select(JobSource.FromFolder)], $"workspace: {jobFolders.Length} job folder(s) under jobs/", notes);
        }

        var topLevel = HasCode(full, SearchOption.TopDirectoryOnly);
        var subfolders = Directory.EnumerateDirectories(full).Order(StringComparer.Ordinal).Where(d => HasCode(d, SearchOption.AllDirectories)).ToArray();
        if (!topLevel && !IsProject(full) && subfolders.Length > 1 && subfolders.All(IsStandaloneJob))
        {
            return new([.. subfolders.Select(JobSource.FromFolder)], $"folder of jobs: {subfolders.Length} job folder(s)", []);
        }

        var count = CodeFiles(full).Count();
        return count == 0
            ? new([], "empty", [])
            : new([JobSource.FromFolder(full)], $"one job: {count} code file(s) in the folder and its subfolders", []);
    }

    private static bool IsProject(string folder) =>
        ProjectMarkers.Any(m => File.Exists(Path.Combine(folder, m)));

    /// <summary>A job folder of its own: a job.yaml, or code that is not a Python package imported by its siblings.</summary>
    private static bool IsStandaloneJob(string folder) =>
        File.Exists(Path.Combine(folder, "job.yaml")) || !File.Exists(Path.Combine(folder, "__init__.py"));

    private static bool HasCode(string folder, SearchOption option) =>
        Directory.EnumerateFiles(folder, "*", option).Any(f => CodeExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));

    private static IEnumerable<string> CodeFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => CodeExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));
}
