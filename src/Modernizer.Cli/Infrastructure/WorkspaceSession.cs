using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Pipeline.Configuration;
using Modernizer.Pipeline.State;

namespace Modernizer.Cli.Infrastructure;

/// <summary>A workspace opened for one command: its validated configuration and its state store.</summary>
internal sealed class WorkspaceSession : IAsyncDisposable
{
    private WorkspaceSession(WorkspacePaths paths, ModernizeSettings settings, IStateStore store)
    {
        Paths = paths;
        Settings = settings;
        Store = store;
    }

    public WorkspacePaths Paths { get; }

    public ModernizeSettings Settings { get; }

    public IStateStore Store { get; }

    public static async Task<WorkspaceSession> OpenAsync(string folder, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var paths = new WorkspacePaths(Path.GetFullPath(folder));
        if (!Directory.Exists(paths.Root))
        {
            throw new CliException($"The workspace folder {paths.Root} does not exist. Create one with `modernize init {folder}`.");
        }

        var settings = await new SettingsLoader(environment).LoadAsync(paths, cancellationToken);
        var store = await StateStoreFactory.OpenAsync(paths, settings.State, cancellationToken);
        return new WorkspaceSession(paths, settings, store);
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
