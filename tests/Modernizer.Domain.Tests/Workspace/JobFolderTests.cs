using System.Text;
using Modernizer.Domain.Workspace;

namespace Modernizer.Domain.Tests.Workspace;

/// <summary>Job ids are catalog data: whatever they hold, the job's folders stay inside <c>jobs/</c>
/// and <c>.modernize/</c>, two ids never share a folder, and the ids of existing workspaces keep theirs.</summary>
public sealed class JobFolderTests
{
    private static readonly WorkspacePaths Workspace = new(Path.Combine(Path.GetTempPath(), "ws-" + Guid.NewGuid().ToString("N")));

    public static TheoryData<string> Hostile => new()
    {
        "../../../escape",
        "../../etc/passwd",
        "/etc/passwd",
        "/",
        "..",
        ".",
        "...",
        "a/../../b",
        "..\\..\\windows",
        "C:\\temp\\x",
        "a\0b",
        "\0",
        "%2e%2e",
        "~",
        "job~0123456789abcdef",
        new string('x', 300),
        string.Concat(Enumerable.Repeat("../", 400)),
        string.Concat(Enumerable.Repeat("é", 400)),
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_hostile_id_names_one_folder_inside_jobs_and_inside_the_output(string id)
    {
        var job = new JobId(id);
        var folder = WorkspacePaths.JobFolder(job);

        Assert.DoesNotContain('/', folder);
        Assert.DoesNotContain('\\', folder);
        Assert.DoesNotContain('\0', folder);
        Assert.NotEqual(".", folder);
        Assert.NotEqual("..", folder);
        Assert.True(Encoding.UTF8.GetByteCount(folder) <= SafeFolderName.MaxBytes, folder);
        Assert.Equal(Path.Combine(Path.GetFullPath(Workspace.Jobs), folder), Workspace.JobCode(job));
        Assert.Equal(Path.Combine(Path.GetFullPath(Workspace.Output), "jobs", folder), Workspace.JobOutput(job));
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void A_folder_name_that_is_not_shortened_gives_back_its_id(string id)
    {
        var folder = SafeFolderName.Escape(id);
        if (folder.Contains('~', StringComparison.Ordinal) && !id.Contains('~', StringComparison.Ordinal))
        {
            Assert.False(SafeFolderName.TryUnescape(folder, out _));
            return;
        }

        Assert.True(SafeFolderName.TryUnescape(folder, out var back), folder);
        Assert.Equal(id, back);
    }

    [Fact]
    public void The_ids_of_the_sample_keep_their_folders()
    {
        foreach (var id in new[] { "orders_daily_revenue", "customer_360", "job-01.v2", "ventes été", "111-101" })
        {
            Assert.Equal(id, WorkspacePaths.JobFolder(new JobId(id)));
        }
    }

    [Fact]
    public void Different_ids_never_share_a_folder()
    {
        string[] ids =
        [
            "a/b", "a%2Fb", "a%252Fb", "a:b", "a%3Ab", "..", "%2E%2E", ".", "%2E", "~", "%7E",
            new string('x', 300), new string('x', 301), new string('x', 300) + "/", "job~" + new string('0', 16),
        ];
        var folders = ids.Select(SafeFolderName.Escape).ToArray();
        Assert.Equal(ids.Length, folders.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("50%off")]
    [InlineData("a%41")]
    [InlineData("a/b")]
    [InlineData("%zz")]
    [InlineData("%")]
    [InlineData("..")]
    public void A_name_no_id_escapes_to_is_not_read_as_an_id(string name)
    {
        Assert.False(SafeFolderName.TryUnescape(name, out _));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/etc")]
    [InlineData("a/../../x")]
    [InlineData("..")]
    [InlineData("a\0")]
    [InlineData("")]
    public void A_path_built_from_data_must_stay_inside_its_root(string part)
    {
        Assert.Throws<UnsafePathException>(() => WorkspacePaths.Under(Path.Combine(Workspace.Output, "jobs"), part));
    }

    [Fact]
    public void Artifact_paths_inside_the_output_are_accepted_and_absolute()
    {
        var path = Workspace.InOutput("jobs", "orders", "analysis.json");
        Assert.True(Path.IsPathRooted(path));
        Assert.StartsWith(Path.GetFullPath(Workspace.Output) + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
        Assert.Throws<UnsafePathException>(() => Workspace.InOutput("..", "modernize.yaml"));
    }

    [Theory]
    [InlineData("a\0b", "control character")]
    [InlineData("tab\there", "control character")]
    [InlineData("   ", "blank")]
    [InlineData("", "empty")]
    public void An_id_a_run_cannot_take_is_refused_with_the_reason(string id, string reason)
    {
        Assert.False(JobId.TryCreate(id, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_with_a_lone_surrogate_is_refused()
    {
        // Built in code: an attribute argument cannot carry a lone surrogate.
        Assert.False(JobId.TryCreate(new string([(char)0xD800, 'x']), out _, out var problem));
        Assert.Contains("lone surrogate", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_very_long_id_is_refused_and_a_long_one_is_taken()
    {
        Assert.False(JobId.TryCreate(new string('x', JobId.MaxLength + 1), out _, out var problem));
        Assert.Contains("characters long", problem, StringComparison.Ordinal);
        Assert.True(JobId.TryCreate(new string('x', JobId.MaxLength), out var job, out _));
        Assert.Contains('~', WorkspacePaths.JobFolder(job));
    }

    [Fact]
    public void The_rewrite_layout_escapes_job_and_table_names()
    {
        var layout = RewriteLayout.For(Workspace, new JobId("../../x"));
        Assert.StartsWith(Workspace.JobOutput(new JobId("../../x")), layout.Folder, StringComparison.Ordinal);
        Assert.Equal("..%2F..%2Fx", layout.JobFileStem);
        Assert.StartsWith(layout.Folder, layout.OutputOf("../../../../etc"), StringComparison.Ordinal);
        Assert.StartsWith(layout.Folder, layout.DuckDbSqlFor("/etc/passwd"), StringComparison.Ordinal);
    }
}
