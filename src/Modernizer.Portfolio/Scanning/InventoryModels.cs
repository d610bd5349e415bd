using System.Collections.Immutable;
using Modernizer.Domain.Decisions;
using Modernizer.Portfolio.Ingestion;

namespace Modernizer.Portfolio.Scanning;

/// <summary>A value inferred from execution logs rather than read from metadata (R1.1).</summary>
public sealed record InferredValue(string Value, double Confidence, string From, string Evidence);

/// <summary>One term of the health score (docs/health-score.md): its badness in [0, 1], its weight,
/// and the fact it was computed from.</summary>
public sealed record HealthComponent(string Name, double Value, double Weight, string Detail);

/// <summary>A dependency edge: the other job, where the edge came from, and through what.</summary>
public sealed record DependencyEdge(string JobId, ImmutableArray<string> Sources, ImmutableArray<string> Via);

/// <summary>One row of inventory.json (docs/workspace.md fields first, then extensions). Unknown is null.</summary>
public sealed record InventoryJob
{
    public required string JobId { get; init; }
    public string? Name { get; init; }
    public string? Schedule { get; init; }
    public long Runs { get; init; }
    public double? AvgRuntimeS { get; init; }
    public double? FailureRate { get; init; }
    public int HealthScore { get; init; }
    public ImmutableArray<string> Upstream { get; init; } = [];
    public ImmutableArray<string> Downstream { get; init; } = [];
    public double? DataVolumeRows { get; init; }
    public DateTimeOffset? LastModified { get; init; }
    public ImmutableSortedDictionary<string, InferredValue> Inferred { get; init; } = ImmutableSortedDictionary<string, InferredValue>.Empty;

    /// <summary>hourly, daily, weekly, monthly, "every N minutes/hours", event — from the schedule, else from the inferred cadence.</summary>
    public string? ScheduleFrequency { get; init; }
    public double? P95RuntimeS { get; init; }
    public double? FailureRateTrend30d { get; init; }
    public double? FailureRateRecent { get; init; }
    public ImmutableArray<HealthComponent> HealthComponents { get; init; } = [];
    public ImmutableArray<DependencyEdge> UpstreamEdges { get; init; } = [];
    public ImmutableArray<DependencyEdge> DownstreamEdges { get; init; } = [];
    public double? DataVolumeBytes { get; init; }
    public long? TotalRowsProcessed { get; init; }
    public string? Owner { get; init; }
    public ImmutableArray<string> Tags { get; init; } = [];
    public ImmutableArray<string> CatalogForms { get; init; } = [];
    public bool? Paused { get; init; }
    public bool MetadataMissing { get; init; }
    public bool HasCode { get; init; }
    public long CodeLines { get; init; }
    public DateTimeOffset? FirstRun { get; init; }
    public DateTimeOffset? LastRun { get; init; }
    public long FailedRuns { get; init; }
    public long SlaBreaches { get; init; }
    public long TicketsRecent { get; init; }
    public string? Evidence { get; init; }
}

/// <summary>inventory.json.</summary>
public sealed record Inventory(DateTimeOffset? AsOf, ImmutableArray<InventoryJob> Jobs, IngestionReport Ingestion)
{
    public InventoryJob? Find(string jobId) => Jobs.FirstOrDefault(j => j.JobId == jobId);
}

/// <summary>What the Portfolio Scanner returns: the inventory and the decisions and escalations it raised.</summary>
public sealed record ScanResult(Inventory Inventory, ImmutableArray<DecisionDraft> Decisions, ImmutableArray<EscalationRequest> Escalations);
