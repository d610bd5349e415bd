using System.Text.RegularExpressions;

namespace Modernizer.Domain.Tests;

/// <summary>The repository stands alone: its docs and code cite only documents inside it, and every
/// requirement id the code cites is explained in docs/glossary.md.</summary>
public sealed partial class RepositoryDocsTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Docs_and_code_cite_no_document_outside_the_repository()
    {
        // The documents beside the repository (in the folder that holds it) are found, not named here:
        // none may be cited by name or by a path, and no link in the docs may leave the repository.
        var inside = Directory.EnumerateFiles(Root, "*.md", SearchOption.AllDirectories).Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var beside = Directory.GetParent(Root) is { } parent
            ? parent.EnumerateDirectories().Where(d => d.FullName != Root && !File.Exists(Path.Combine(d.FullName, "Modernizer.sln")) && !d.Name.StartsWith('.'))
                .SelectMany(d => new[] { "../" + d.Name }.Concat(SafeFiles(d).Select(f => f.Name).Where(n => !inside.Contains(n))))
                .ToArray()
            : [];
        var cited = Sources("*.md", "*.cs", "*.sql", "*.py")
            .SelectMany(file => beside.Where(name => File.ReadAllText(file).Contains(name, StringComparison.Ordinal))
                .Select(name => $"{Path.GetRelativePath(Root, file)} cites {name}"));
        var links = Sources("*.md")
            .SelectMany(file => LinkTarget().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value)
                .Where(target => !Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target)).StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                .Select(target => $"{Path.GetRelativePath(Root, file)} links outside the repository: {target}"));
        var offending = cited.Concat(links).Distinct(StringComparer.Ordinal).ToArray();

        Assert.True(offending.Length == 0, string.Join(Environment.NewLine, offending));
    }

    /// <summary>The markdown documents of a folder beside the repository, two levels deep.</summary>
    private static IEnumerable<FileInfo> SafeFiles(DirectoryInfo folder)
    {
        try
        {
            return folder.EnumerateFiles("*.md", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = true }).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    [Fact]
    public void Every_requirement_id_the_code_cites_is_in_the_glossary()
    {
        var glossary = File.ReadAllText(Path.Combine(Root, "docs", "glossary.md"));
        var cited = Sources("*.cs").SelectMany(file => RequirementId().Matches(File.ReadAllText(file)).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("R2.1", cited);
        Assert.All(cited, id => Assert.Contains($"**{id}**", glossary, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("docs/architecture.md")]
    [InlineData("docs/workspace.md")]
    [InlineData("docs/glossary.md")]
    public void The_design_documents_are_in_the_repository(string path)
    {
        Assert.True(File.Exists(Path.Combine(Root, path)), path);
    }

    private static IEnumerable<string> Sources(params string[] patterns) =>
        new[] { "docs", "src", "bench" }.Select(folder => Path.Combine(Root, folder))
            .SelectMany(folder => patterns.SelectMany(pattern => Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories)))
            .Append(Path.Combine(Root, "README.md"))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Modernizer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run from the repository: Modernizer.sln was not found above the test's folder.");
    }

    [GeneratedRegex(@"\]\((\.\./[^)#\s]*)")]
    private static partial Regex LinkTarget();

    [GeneratedRegex(@"\b(?:R[1-5]\.[1-4]|P[12]|X[1-5])\b")]
    private static partial Regex RequirementId();
}
