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

/// <summary>Where the sample workspace writer is wired in (Modernizer.Samples). Without it,
/// <c>modernize demo</c> says the sample is not available.</summary>
public static class SampleRegistration
{
    public static ISampleWorkspace? Create() => null;
}
