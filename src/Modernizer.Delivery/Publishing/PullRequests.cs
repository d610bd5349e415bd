using Modernizer.Domain.Configuration;
using Octokit;

namespace Modernizer.Delivery.Publishing;

/// <summary>A pull request as the gates read it.</summary>
public sealed record PullRequestInfo(int Number, string Url, string State, bool Merged, string HeadSha);

/// <summary>The pull request of a bundle branch on GitHub or GitHub Enterprise (Octokit; the API URL
/// is configurable). Opening is idempotent: the first attempt creates it (201); a later attempt finds
/// the open one for the branch (a create answers 422 when it exists) and updates its title and body.</summary>
public sealed class PullRequests
{
    private readonly RepositorySettings _settings;
    private readonly GitHubClient _client;

    public PullRequests(RepositorySettings settings, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(environment);
        if (!settings.HasForge)
        {
            throw new DeliveryException("delivery.repository: forge github needs owner and name (the repository the pull requests are opened in)");
        }

        _settings = settings;
        var token = environment(settings.ForgeTokenVariable);
        if (string.IsNullOrEmpty(token))
        {
            throw new DeliveryException($"opening pull requests needs a token in the environment variable {settings.ForgeTokenVariable}");
        }

        _client = new GitHubClient(new ProductHeaderValue("modernizer"), new Uri(settings.ApiUrl)) { Credentials = new Credentials(token) };
    }

    public async Task<PullRequestInfo> OpenOrUpdateAsync(string branch, string title, string body)
    {
        try
        {
            var created = await _client.PullRequest.Create(_settings.Owner, _settings.Name, new NewPullRequest(title, branch, _settings.BaseBranch) { Body = body }).ConfigureAwait(false);
            return Info(created);
        }
        catch (ApiValidationException)
        {
            // 422: a pull request for this branch exists already; the new attempt updates it.
            var open = await FindAsync(branch, openOnly: true).ConfigureAwait(false)
                ?? throw new DeliveryException($"GitHub refused to open a pull request for {branch} and none is open for it");
            var updated = await _client.PullRequest.Update(_settings.Owner, _settings.Name, open.Number, new PullRequestUpdate { Title = title, Body = body }).ConfigureAwait(false);
            return Info(updated);
        }
        catch (ApiException e)
        {
            throw new DeliveryException($"{_settings.ApiUrl}: opening the pull request for {branch} failed ({(int)e.StatusCode}): {e.Message}", e);
        }
    }

    /// <summary>The pull request of <paramref name="branch"/> that decides: the open one, else a merged one,
    /// else the newest; across every page.</summary>
    public async Task<PullRequestInfo?> FindAsync(string branch, bool openOnly = false)
    {
        try
        {
            var all = await _client.PullRequest.GetAllForRepository(_settings.Owner, _settings.Name,
                new PullRequestRequest { State = openOnly ? ItemStateFilter.Open : ItemStateFilter.All, Head = $"{_settings.Owner}:{branch}" },
                new ApiOptions { PageSize = 30 }).ConfigureAwait(false);
            return all.Where(p => p.Head?.Ref == branch)
                .OrderByDescending(p => p.State.Value == ItemState.Open)
                .ThenByDescending(p => p.Merged || p.MergedAt is not null)
                .ThenByDescending(p => p.Number)
                .Select(Info)
                .FirstOrDefault();
        }
        catch (ApiException e)
        {
            throw new DeliveryException($"{_settings.ApiUrl}: listing the pull requests of {branch} failed ({(int)e.StatusCode}): {e.Message}", e);
        }
    }

    private static PullRequestInfo Info(PullRequest pr) =>
        new(pr.Number, pr.HtmlUrl, pr.State.StringValue, pr.Merged || pr.MergedAt is not null, pr.Head?.Sha ?? string.Empty);
}
