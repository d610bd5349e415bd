using System.Text.Json;
using Modernizer.Domain.Serialization;
using Modernizer.Specs.Testing.Data;
using Modernizer.Specs.Testing.Design;

namespace Modernizer.Specs.Testing;

/// <summary>The test stages' artifacts under <c>jobs/&lt;job&gt;/tests/</c>: inventory.json (designed cases),
/// fixtures/ (inputs per case, fixtures.json), cases/ (the tests as data), coverage.json, results.json.</summary>
public static class TestArtifacts
{
    public const string Inventory = "inventory.json";
    public const string Fixtures = "fixtures";
    public const string Cases = "cases";

    public static Task<string> WriteInventoryAsync(string tests, TestInventory inventory, CancellationToken cancellationToken) =>
        AtomicFile.WriteJsonAsync(Path.Combine(tests, Inventory), inventory, cancellationToken);

    public static Task<TestInventory> ReadInventoryAsync(string tests, CancellationToken cancellationToken) =>
        ReadAsync<TestInventory>(Path.Combine(tests, Inventory), "the Test Case Designer", cancellationToken);

    public static async Task<FixtureSet> ReadFixturesAsync(string tests, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(tests, Fixtures);
        var set = await ReadAsync<FixtureSet>(Path.Combine(folder, FixtureSet.FileName), "the Test Data Generator", cancellationToken);
        return set with { Cases = [.. set.Cases.Select(c => c with { Folder = Path.Combine(folder, c.Case) })] };
    }

    private static async Task<T> ReadAsync<T>(string path, string producer, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: {producer} must run first.", path);
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<T>(stream, JsonDefaults.Artifact, cancellationToken)
                ?? throw new InvalidDataException($"{path}: empty document.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid ({e.Message}).", e);
        }
    }
}
