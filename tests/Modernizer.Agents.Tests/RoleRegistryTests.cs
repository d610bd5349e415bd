using System.Text.Json.Nodes;
using Modernizer.Agents.Roles;
using Modernizer.Domain.Roles;

namespace Modernizer.Agents.Tests;

public sealed class RoleRegistryTests
{
    private readonly RoleRegistry _registry = new();

    [Fact]
    public void Every_one_of_the_16_roles_is_defined_exactly_once_on_its_catalog_stage()
    {
        Assert.Equal(16, _registry.All.Length);
        Assert.Equal(RoleCatalog.All.Select(r => r.Role), _registry.All.Select(r => r.Role));
        Assert.All(_registry.All, r => Assert.Equal(RoleCatalog.Get(r.Role).Stage, r.Stage));
    }

    [Fact]
    public void Instructions_are_versioned_and_hashed_and_end_with_the_data_framing()
    {
        Assert.All(_registry.All, r =>
        {
            Assert.Matches("^[0-9]+\\.[0-9]+\\.[0-9]+$", r.InstructionsVersion);
            Assert.Matches("^[0-9a-f]{64}$", r.InstructionsHash);
            Assert.EndsWith(Safety.DataEnvelope.Framing, r.FullInstructions, StringComparison.Ordinal);
            Assert.Contains(r.Definition.RequirementId, r.FullInstructions, StringComparison.Ordinal);
        });
        Assert.Equal(_registry.All.Length, _registry.All.Select(r => r.InstructionsHash).Distinct().Count());
    }

    [Fact]
    public void Every_output_schema_demands_a_confidence_and_evidence_references()
    {
        Assert.All(_registry.All, r =>
        {
            var properties = r.OutputSchema["properties"]!.AsObject();
            Assert.Equal("number", properties["confidence"]!["type"]!.GetValue<string>());
            Assert.Equal(0, properties["confidence"]!["minimum"]!.GetValue<int>());
            Assert.Equal(1, properties["confidence"]!["maximum"]!.GetValue<int>());
            Assert.Contains("evidence_refs", r.OutputSchema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
            Assert.Equal("array", properties["evidence_refs"]!["type"] is JsonArray types ? types[0]!.GetValue<string>() : properties["evidence_refs"]!["type"]!.GetValue<string>());
            Assert.NotNull(r.InputSchema["properties"]);
        });
    }

    [Fact]
    public void Tool_allow_lists_name_only_consultation_tools()
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "ask_data_profiler", "ask_code_reviewer" };
        Assert.All(_registry.All, r => Assert.All(r.AllowedTools, t => Assert.Contains(t, known)));
        Assert.Contains("ask_data_profiler", _registry.Get(RoleId.CodeReviewer).AllowedTools);
        Assert.Contains("ask_code_reviewer", _registry.Get(RoleId.SpecWriter).AllowedTools);
    }
}
