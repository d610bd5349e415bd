using System.Collections;

namespace Modernizer.Cli.Composition;

/// <summary>The parts the commands are built from. <see cref="CreateDefault"/> is the product's
/// composition root; tests and harnesses pass their own (a fixed clock, their own stage work).</summary>
public sealed record ModernizeServices(
    StageWorkRegistry Registry,
    ISampleWorkspace? Sample,
    TimeProvider Clock,
    IReadOnlyDictionary<string, string> Environment)
{
    public static ModernizeServices CreateDefault() =>
        new(RoleRegistrations.CreateDefault(), SampleRegistration.Create(), TimeProvider.System, ProcessEnvironment());

    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? string.Empty;
        }

        return variables;
    }
}

/// <summary>Where the sample workspace writer is wired in (Modernizer.Samples).</summary>
public static class SampleRegistration
{
    public static ISampleWorkspace? Create() => new RetailSampleWorkspace();
}

/// <summary>The bundled retail workspace at its default size.</summary>
internal sealed class RetailSampleWorkspace : ISampleWorkspace
{
    public async Task WriteAsync(string directory, CancellationToken cancellationToken) =>
        await Modernizer.Samples.SampleWorkspaceWriter.WriteAsync(directory, new Modernizer.Samples.SampleOptions(), progress: null, cancellationToken);
}
