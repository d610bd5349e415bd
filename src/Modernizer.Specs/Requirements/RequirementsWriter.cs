using Modernizer.Domain.Serialization;

namespace Modernizer.Specs.Requirements;

/// <summary>Writes and reads <c>jobs/&lt;job&gt;/requirements.json</c> (atomically; the Spec Writer reads it back).</summary>
public static class RequirementsWriter
{
    public const string FileName = "requirements.json";

    public static Task<string> WriteAsync(string jobOutput, RequirementSet requirements, CancellationToken cancellationToken) =>
        AtomicFile.WriteJsonAsync(Path.Combine(jobOutput, FileName), requirements, cancellationToken);

    public static async Task<RequirementSet> ReadAsync(string jobOutput, CancellationToken cancellationToken)
    {
        var path = Path.Combine(jobOutput, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No requirements at {path}: the Requirements Inferencer must run first.", path);
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await System.Text.Json.JsonSerializer.DeserializeAsync<RequirementSet>(stream, JsonDefaults.Artifact, cancellationToken)
                ?? throw new InvalidDataException($"{path}: empty requirements document.");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid requirements document ({e.Message}).", e);
        }
    }
}
