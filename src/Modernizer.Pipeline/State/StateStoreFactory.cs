using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;

namespace Modernizer.Pipeline.State;

/// <summary>Opens the store the configuration names and brings its schema up to date.</summary>
public static class StateStoreFactory
{
    public static async Task<IStateStore> OpenAsync(WorkspacePaths workspace, StateSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(settings);
        IStateStore store = settings.Provider switch
        {
            StateProvider.Postgres => PostgresStateStore.Open(settings.ConnectionString
                ?? throw new InvalidOperationException("state.provider is postgres but no connection string is configured.")),
            _ => await SqliteStateStore.OpenAsync(workspace.StateDb, cancellationToken),
        };
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}
