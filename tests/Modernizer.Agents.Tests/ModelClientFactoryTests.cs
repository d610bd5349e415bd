using Microsoft.Extensions.AI;
using Modernizer.Agents.Models;
using Modernizer.Agents.Stages;
using Modernizer.Domain.Configuration;

namespace Modernizer.Agents.Tests;

public sealed class ModelClientFactoryTests
{
    [Fact]
    public void Provider_none_is_the_default_and_builds_no_client()
    {
        Assert.Equal(ModelProvider.None, new ModelOptions().Provider);
        Assert.Null(ModelClientFactory.CreateProviderClient(new ModelOptions(), _ => "a-key-that-must-not-matter"));
        var options = AgentServices.ToModelOptions(ModernizeSettings.Default, _ => null);
        Assert.Equal(ModelProvider.None, options.Provider);
        Assert.False(options.Replay);
    }

    [Fact]
    public void The_anthropic_provider_needs_its_key_from_the_environment_and_never_shows_it()
    {
        var missing = Assert.Throws<ModelConfigurationException>(() =>
            ModelClientFactory.CreateProviderClient(new ModelOptions { Provider = ModelProvider.Anthropic }, _ => null));
        Assert.Contains("ANTHROPIC_API_KEY", missing.Message, StringComparison.Ordinal);

        using var client = ModelClientFactory.CreateProviderClient(new ModelOptions { Provider = ModelProvider.Anthropic, Model = "claude-haiku-4-5" },
            name => name == "ANTHROPIC_API_KEY" ? "sk-ant-secret" : null)!;
        var metadata = client.GetService<ChatClientMetadata>();
        Assert.Equal("claude-haiku-4-5", metadata?.DefaultModelId);
    }

    [Fact]
    public void The_openai_compatible_provider_works_with_a_local_endpoint_and_no_key()
    {
        using var client = ModelClientFactory.CreateProviderClient(
            new ModelOptions { Provider = ModelProvider.OpenAICompatible, Model = "llama-3.1-8b", Endpoint = new Uri("http://127.0.0.1:8080/v1") }, _ => null)!;
        Assert.Equal("llama-3.1-8b", client.GetService<ChatClientMetadata>()?.DefaultModelId);

        Assert.Throws<ModelConfigurationException>(() =>
            ModelClientFactory.CreateProviderClient(new ModelOptions { Provider = ModelProvider.OpenAICompatible }, _ => null));
    }

    [Fact]
    public void Modernize_yaml_llm_and_budgets_map_onto_model_options()
    {
        var settings = ModernizeSettings.Default with
        {
            Llm = new LlmSettings(LlmProvider.OpenAiCompatible, "qwen", 2048, 0.2, "http://127.0.0.1:11434/v1"),
            Budgets = new BudgetSettings(5000, 0.5m, 2, 60),
        };

        var options = AgentServices.ToModelOptions(settings, name => name == AgentServices.RecordVariable ? "/tmp/rec" : null);

        Assert.Equal(ModelProvider.OpenAICompatible, options.Provider);
        Assert.Equal("qwen", options.Model);
        Assert.Equal(2048, options.MaxOutputTokens);
        Assert.Equal(0.2f, options.Temperature);
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), options.Endpoint);
        Assert.Equal(5000, options.Limits.MaxTokensPerJob);
        Assert.Equal(0.5m, options.Limits.MaxCostPerJobUsd);
        Assert.Equal(2, options.Limits.MaxAttemptsPerJudgment);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Limits.StageTimeout);
        Assert.Equal("/tmp/rec", options.RecordingsDirectory);
        Assert.False(options.Replay);
        Assert.Equal(options.DefaultPrice, options.PriceOf("qwen"));
    }
}
