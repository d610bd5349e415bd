using System.Security.Cryptography;

namespace Modernizer.Samples.Tests;

/// <summary>Deliverable 1: the sample is seeded and byte-identical on every run.</summary>
[Collection(SampleWorkspaceCollection.Name)]
public sealed class DeterminismTests(SampleWorkspaceFixture sample)
{
    [Fact]
    public void Two_runs_write_the_same_files_with_the_same_bytes()
    {
        var first = Hashes(sample.Workspace);
        var second = Hashes(sample.SecondWorkspace);

        Assert.True(first.Count > 150, $"only {first.Count} files written");
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        var different = first.Where(f => second[f.Key] != f.Value).Select(f => f.Key).ToList();
        Assert.Empty(different);
    }

    [Fact]
    public void Default_workspace_stays_under_fifty_megabytes()
    {
        var bytes = Directory.EnumerateFiles(sample.Workspace, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.InRange(bytes, 1_000_000, 50L * 1024 * 1024);
    }

    [Fact]
    public async Task Rewriting_a_sample_folder_replaces_it_but_a_foreign_folder_is_refused()
    {
        var foreign = Path.Combine(Path.GetTempPath(), "modernizer-foreign-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(foreign);
        await File.WriteAllTextAsync(Path.Combine(foreign, "notes.txt"), "mine");
        try
        {
            await Assert.ThrowsAsync<IOException>(() =>
                SampleWorkspaceWriter.WriteAsync(foreign, new SampleOptions { IncludeLake = false }, null, CancellationToken.None));
            Assert.True(File.Exists(Path.Combine(foreign, "notes.txt")));
        }
        finally
        {
            Directory.Delete(foreign, recursive: true);
        }
    }

    [Theory]
    [InlineData(0, null, 365)]
    [InlineData(1, 10, 365)]
    [InlineData(1, null, 5)]
    public void Invalid_options_are_rejected_with_a_message(int scale, int? jobs, int days)
    {
        var problem = new SampleOptions { Scale = scale, Jobs = jobs, Days = days }.Validate();
        Assert.NotNull(problem);
        Assert.StartsWith("--", problem);
    }

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(
                f => Path.GetRelativePath(root, f).Replace('\\', '/'),
                f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))),
                StringComparer.Ordinal);
}
