using LibGit2Sharp;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Publishing;

/// <summary>What was pushed: the branch, its one commit over the base branch, and whether it changed.</summary>
public sealed record PublishedBranch(string Branch, string BaseBranch, string CommitSha, bool Changed);

/// <summary>Commits a bundle to the configured repository (LibGit2Sharp) on the branch
/// <c>modernize/&lt;job&gt;</c>: exactly one commit over the base branch, holding the bundle under
/// <c>&lt;bundle_root&gt;/&lt;bundle&gt;/</c>, pushed to the remote. A new attempt replaces that commit (a
/// forced push of the branch), so the pull request always shows one reviewed change; an attempt with
/// the same content pushes nothing. The work happens in a bare clone under <c>.modernize/git/</c>: no
/// checkout, no working tree. An HTTPS remote takes its token from the environment.</summary>
public sealed class GitPublisher(WorkspacePaths workspace, RepositorySettings settings, Func<string, string?> environment, TimeProvider clock)
{
    public static string BranchFor(string bundleOwner) => "modernize/" + bundleOwner;

    public PublishedBranch Publish(string branch, string bundleFolder, string bundleName, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(branch);
        var url = settings.Url ?? throw new DeliveryException("delivery.repository.url is not set in modernize.yaml: there is no repository to commit the bundle to");
        using var repository = OpenClone(url);
        var remote = repository.Network.Remotes["origin"];
        Commands.Fetch(repository, remote.Name, ["+refs/heads/*:refs/remotes/origin/*"], new FetchOptions { CredentialsProvider = Credentials }, null);
        var baseBranch = repository.Branches[$"origin/{settings.BaseBranch}"]
            ?? throw new DeliveryException($"{url}: the base branch {settings.BaseBranch} does not exist (delivery.repository.base_branch)");
        var baseCommit = baseBranch.Tip;

        var tree = TreeDefinition.From(baseCommit);
        var root = $"{settings.BundleRoot.Trim('/')}/{bundleName}";
        if (baseCommit[root] is not null)
        {
            tree.Remove(root);
        }

        foreach (var file in Directory.EnumerateFiles(bundleFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var blob = repository.ObjectDatabase.CreateBlob(file);
            tree.Add($"{root}/{Path.GetRelativePath(bundleFolder, file).Replace('\\', '/')}", blob, Mode.NonExecutableFile);
        }

        var newTree = repository.ObjectDatabase.CreateTree(tree);
        var existing = repository.Branches[$"origin/{branch}"];
        if (existing is not null && existing.Tip.Tree.Id == newTree.Id && existing.Tip.Parents.FirstOrDefault()?.Id == baseCommit.Id)
        {
            return new PublishedBranch(branch, settings.BaseBranch, existing.Tip.Sha, Changed: false);
        }

        var signature = new Signature(settings.AuthorName, settings.AuthorEmail, clock.GetUtcNow());
        var commit = repository.ObjectDatabase.CreateCommit(signature, signature, message, newTree, [baseCommit], prettifyMessage: true);
        repository.Refs.UpdateTarget(repository.Refs[$"refs/heads/{branch}"] ?? repository.Refs.Add($"refs/heads/{branch}", commit.Id), commit.Id);
        try
        {
            repository.Network.Push(remote, $"+refs/heads/{branch}:refs/heads/{branch}", new PushOptions
            {
                CredentialsProvider = Credentials,
                OnPushStatusError = error => throw new DeliveryException($"{url}: the push of {branch} was refused: {error.Message}"),
            });
        }
        catch (LibGit2SharpException e)
        {
            throw new DeliveryException($"{url}: pushing {branch} failed: {e.Message}", e);
        }

        return new PublishedBranch(branch, settings.BaseBranch, commit.Sha, Changed: true);
    }

    private Repository OpenClone(string url)
    {
        var folder = Path.Combine(workspace.Output, "git", string.Concat(url.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')).TrimStart('_'));
        if (!Repository.IsValid(folder))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            try
            {
                Repository.Init(folder, isBare: true);
            }
            catch (LibGit2SharpException e)
            {
                throw new DeliveryException($"{folder}: cannot create the local clone: {e.Message}", e);
            }

            using var created = new Repository(folder);
            created.Network.Remotes.Add("origin", url);
        }

        var repository = new Repository(folder);
        if (repository.Network.Remotes["origin"] is { } origin && origin.Url != url)
        {
            repository.Network.Remotes.Update("origin", r => r.Url = url);
        }

        return repository;
    }

    private LibGit2Sharp.Credentials Credentials(string url, string usernameFromUrl, SupportedCredentialTypes types)
    {
        var token = environment(settings.GitTokenVariable);
        if (string.IsNullOrEmpty(token))
        {
            throw new DeliveryException($"{url} asks for credentials: set {settings.GitTokenVariable} in the environment");
        }

        return new UsernamePasswordCredentials { Username = string.IsNullOrEmpty(usernameFromUrl) ? "x-access-token" : usernameFromUrl, Password = token };
    }
}
