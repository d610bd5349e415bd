namespace Modernizer.Agents.Tests.Support;

/// <summary>Where the retail sample's hand-written job folders are, from the test binaries.</summary>
internal static class SampleJobs
{
    public static string Folder(string job) => Path.Combine(RepoRoot(), "samples", "retail", "jobs", job);

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Modernizer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("The repository root (Modernizer.sln) was not found above the test binaries.");
    }
}
