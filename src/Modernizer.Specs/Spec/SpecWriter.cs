using Modernizer.Domain.Serialization;

namespace Modernizer.Specs.Spec;

/// <summary>Writes spec.json and spec.md atomically; returns the SHA-256 of each.</summary>
public static class SpecWriter
{
    public static async Task<(string Json, string Markdown)> WriteAsync(string jobOutput, SpecDocument spec, CancellationToken cancellationToken)
    {
        var json = await AtomicFile.WriteJsonAsync(Path.Combine(jobOutput, SpecDocument.FileName), spec, cancellationToken);
        var markdown = SpecMarkdown.Render(spec);
        await AtomicFile.WriteAllTextAsync(Path.Combine(jobOutput, "spec.md"), markdown, cancellationToken);
        return (json, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(markdown))));
    }
}
